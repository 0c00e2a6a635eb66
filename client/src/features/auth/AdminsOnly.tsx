import { Link } from 'react-router';
import { ArrowLeftIcon } from '../../components/icons';
import '../../styles/auth.css';

/** What a signed-in user who is not an admin sees at an admin page. */
export function AdminsOnly() {
  return (
    <main className="auth-page">
      <title>Admins only · Chat</title>
      <div className="auth-card">
        <h1>Admins only</h1>
        <p className="auth-lead">The dashboard is for admins. Ask an admin if you need access.</p>
        <Link className="button" to="/">
          <ArrowLeftIcon width={16} height={16} />
          <span>Back to chat</span>
        </Link>
      </div>
    </main>
  );
}
