import { Link } from 'react-router';
import { ArrowLeftIcon } from '../../components/icons';
import { useAuth } from '../auth/context';
import { ApiKeys } from './ApiKeys';
import '../../styles/admin.css';
import '../../styles/auth.css';

/** The signed-in user's account: who they are, and their API keys. */
export function AccountPage() {
  const { mode, user, signOut } = useAuth();
  return (
    <div className="admin">
      <title>Account · Chat</title>
      <header className="admin-header">
        <Link className="nav-link" to="/" aria-label="Back to chat">
          <ArrowLeftIcon width={16} height={16} />
          <span className="button-label">Back to chat</span>
        </Link>
        <h1>Account</h1>
        {user && (
          <button type="button" className="button" onClick={signOut}>
            Sign out
          </button>
        )}
      </header>
      <main className="admin-main account-main">
        {mode === 'off' || !user ? (
          <section className="panel">
            <h2>No accounts on this server</h2>
            <p className="panel-hint">Accounts and API keys need the server to run with AUTH_MODE=jwt.</p>
          </section>
        ) : (
          <>
            <section className="panel" aria-labelledby="account-user">
              <h2 id="account-user">Signed in</h2>
              <dl className="account-facts">
                <dt>Username</dt>
                <dd>{user.username}</dd>
                <dt>Role</dt>
                <dd>{user.role}</dd>
              </dl>
            </section>
            <ApiKeys />
          </>
        )}
      </main>
    </div>
  );
}
