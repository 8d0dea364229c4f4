'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { EngineBadge } from './EngineBadge';

const LINKS = [
  { href: '/', label: 'Pipelines', match: (path: string) => path === '/' || path.startsWith('/editor') },
  { href: '/runs', label: 'Runs', match: (path: string) => path.startsWith('/runs') },
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
            data-testid={`nav-${link.label.toLowerCase()}`}
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
