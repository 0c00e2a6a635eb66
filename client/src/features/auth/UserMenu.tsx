import { Link } from 'react-router';
import { KeyIcon, SignOutIcon, UserIcon } from '../../components/icons';
import { useAuth } from './context';

/** The signed-in user in the sidebar's footer, with their account page and sign-out (nothing when accounts are off). */
export function UserMenu() {
  const { user, signOut } = useAuth();
  if (!user) return null;
  return (
    <div className="user-menu">
      <p className="user-name">
        <UserIcon width={16} height={16} />
        <span className="visually-hidden">Signed in as </span>
        <span className="user-name-text">{user.username}</span>
        {user.role === 'admin' && <span className="badge">admin</span>}
      </p>
      <div className="user-actions">
        <Link className="nav-link" to="/account">
          <KeyIcon width={16} height={16} />
          <span>Account</span>
        </Link>
        <button type="button" className="nav-link" onClick={signOut}>
          <SignOutIcon width={16} height={16} />
          <span>Sign out</span>
        </button>
      </div>
    </div>
  );
}
