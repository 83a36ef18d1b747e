import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { api } from './api.ts';
import { useMe } from './session.ts';

export function Layout() {
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);

  // After a client-side navigation, move focus to the new page so screen readers and keyboards start there.
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every path change by design
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  const signOut = async () => {
    try {
      await api('/auth/logout', { method: 'POST' });
    } finally {
      client.clear();
      await navigate('/');
    }
  };

  const user = me.data;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Jobr
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Jobs
              </NavLink>
            </li>
            <li>
              <NavLink to="/plans">Plans</NavLink>
            </li>
            {user && (
              <>
                <li>
                  <NavLink to="/matches">Jobs for me</NavLink>
                </li>
                <li>
                  <NavLink to="/bookmarks">Bookmarks</NavLink>
                </li>
                <li>
                  <NavLink to="/applications">Applications</NavLink>
                </li>
                <li>
                  <NavLink to="/cvs">CVs</NavLink>
                </li>
                <li>
                  <NavLink to="/cover-letters">Letters</NavLink>
                </li>
                <li>
                  <NavLink to="/notifications">Notifications</NavLink>
                </li>
                <li>
                  <NavLink to="/account">Account</NavLink>
                </li>
                {user.role === 'admin' && (
                  <li>
                    <NavLink to="/admin">Admin</NavLink>
                  </li>
                )}
                <li>
                  <button type="button" className="link" onClick={signOut}>
                    Sign out
                  </button>
                </li>
              </>
            )}
            {me.isSuccess && !user && (
              <>
                <li>
                  <NavLink to="/sign-in">Sign in</NavLink>
                </li>
                <li>
                  <NavLink to="/register">Register</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="foot">
        <a href="/api/docs">API reference</a>
      </footer>
    </>
  );
}
