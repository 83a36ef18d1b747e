import './styles.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError } from './api.ts';
import { Layout } from './Layout.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { SearchPage } from './pages/SearchPage.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer will not change by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// The search page is in the first bundle; every other page loads when first visited.
const lazy = (load: () => Promise<{ Component: React.ComponentType }>) => ({ lazy: load });

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <SearchPage /> },
      { path: 'jobs/:id', ...lazy(() => import('./pages/JobPage.tsx')) },
      { path: 'sign-in', ...lazy(() => import('./pages/auth/SignInPage.tsx')) },
      { path: 'register', ...lazy(() => import('./pages/auth/RegisterPage.tsx')) },
      { path: 'forgot-password', ...lazy(() => import('./pages/auth/ForgotPasswordPage.tsx')) },
      { path: 'account/reset-password', ...lazy(() => import('./pages/auth/ResetPasswordPage.tsx')) },
      { path: 'account/verify-email', ...lazy(() => import('./pages/auth/VerifyEmailPage.tsx')) },
      { path: 'account/verify-phone', ...lazy(() => import('./pages/auth/VerifyPhonePage.tsx')) },
      { path: 'account', ...lazy(() => import('./pages/AccountPage.tsx')) },
      { path: 'account/notifications', ...lazy(() => import('./pages/NotificationSettingsPage.tsx')) },
      { path: 'cvs', ...lazy(() => import('./pages/CvsPage.tsx')) },
      { path: 'cvs/:id', ...lazy(() => import('./pages/CvPage.tsx')) },
      { path: 'applications', ...lazy(() => import('./pages/ApplicationsPage.tsx')) },
      { path: 'applications/:id', ...lazy(() => import('./pages/ApplicationPage.tsx')) },
      { path: 'bookmarks', ...lazy(() => import('./pages/BookmarksPage.tsx')) },
      { path: 'saved-searches', ...lazy(() => import('./pages/SavedSearchesPage.tsx')) },
      { path: 'notifications', ...lazy(() => import('./pages/NotificationsPage.tsx')) },
      { path: 'matches', ...lazy(() => import('./pages/MatchesPage.tsx')) },
      { path: 'cover-letters', ...lazy(() => import('./pages/CoverLettersPage.tsx')) },
      { path: 'plans', ...lazy(() => import('./pages/PlansPage.tsx')) },
      { path: 'billing', ...lazy(() => import('./pages/BillingPage.tsx')) },
      { path: 'admin', ...lazy(() => import('./pages/admin/AdminJobsPage.tsx')) },
      { path: 'admin/applications', ...lazy(() => import('./pages/admin/AdminApplicationsPage.tsx')) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  );
