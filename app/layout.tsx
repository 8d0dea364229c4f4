import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import '@xyflow/react/dist/style.css';
import './globals.css';
import { Header } from './_components/Header';
import { Providers } from './providers';
import styles from './layout.module.css';

export const metadata: Metadata = {
  title: 'Pipelab',
  description: 'Build a prediction model by wiring steps on a canvas. No code needed.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, so Next puts the request's CSP nonce on its scripts.
  await headers();
  return (
    <html lang="en">
      <body>
        <Providers>
          <div className={styles.appShell}>
            <Header />
            <main className={styles.appMain}>{children}</main>
          </div>
        </Providers>
      </body>
    </html>
  );
}
