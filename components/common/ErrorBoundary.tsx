// A per-view error boundary: one broken view shows an inline message and a retry button
// instead of blanking the page.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import '../views.css';
import { useT } from '../../i18n/react.ts';

export interface ErrorBoundaryProps {
  /** The view guarded. */
  children: ReactNode;
  /** Name of the view, written in the message (plain text). */
  name?: string;
  /** When any of these change, the boundary resets itself (e.g. new data after a fix). */
  resetKeys?: readonly unknown[];
  /** Told of every error caught (e.g. to log it). */
  onError?: (error: Error, info: ErrorInfo) => void;
}

interface ErrorBoundaryState {
  error: Error | null;
}

function changed(a: readonly unknown[] = [], b: readonly unknown[] = []): boolean {
  return a.length !== b.length || a.some((x, k) => !Object.is(x, b[k]));
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): ErrorBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  override componentDidUpdate(prev: ErrorBoundaryProps): void {
    if (this.state.error && changed(prev.resetKeys, this.props.resetKeys)) this.setState({ error: null });
  }

  private retry = (): void => {
    this.setState({ error: null });
  };

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return <ErrorMessage name={this.props.name} error={error} onRetry={this.retry} />;
  }
}

interface ErrorMessageProps {
  /** Name of the view that failed. */
  name?: string;
  /** What went wrong. */
  error: Error;
  /** Render the view again. */
  onRetry: () => void;
}

/** The boundary's message, in the language of its subtree (useT). */
function ErrorMessage({ name, error, onRetry }: ErrorMessageProps) {
  const t = useT();
  return (
    <div className="al-error" role="alert" data-testid="view-error">
      <p className="al-error-title">{name ? t('view.errorNamed', { name }) : t('view.error')}</p>
      <pre className="al-error-text">{error.message}</pre>
      <button type="button" className="al-button" onClick={onRetry}>
        {t('view.retry')}
      </button>
    </div>
  );
}
