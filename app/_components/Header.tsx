'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { EngineBadge } from './EngineBadge';

const LINKS = [
  { href: '/', label: 'Pipelines', testId: 'nav-pipelines', match: (path: string) => path === '/' || path.startsWith('/editor') },
  { href: '/runs', label: 'Runs', testId: 'nav-runs', match: (path: string) => path.startsWith('/runs') },
  { href: '/endpoints', label: 'Prediction APIs', testId: 'nav-endpoints', match: (path: string) => path.startsWith('/endpoints') },
];

export function Header() {
  const pathname = usePathname() ?? '/';
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>
          ◆
        </span>
        Pipelab
      </Link>
      <nav className="main-nav" aria-label="Main">
        {LINKS.map((link) => (
          <Link
            key={link.href}
            href={link.href}
            className={link.match(pathname) ? 'active' : undefined}
            data-testid={link.testId}
          >
            {link.label}
          </Link>
        ))}
      </nav>
      <div className="header-right">
        <EngineBadge />
      </div>
    </header>
  );
}
