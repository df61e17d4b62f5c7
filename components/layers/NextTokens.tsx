// A ranked list of next-token probabilities (the model's prediction at one position).
import { displayToken, formatValue } from '../common/format.ts';
import './layers.css';

export interface TokenChance {
  /** The token's text (untrusted: rendered as text). */
  token: string;
  /** Its probability. */
  p: number;
}

export interface NextTokensProps {
  /** Most probable first. */
  items: TokenChance[];
  /** Caption above the list. */
  caption: string;
  /** Test id of the list. */
  testId?: string;
  /** Tokens drawn as chosen (e.g. the ablation target). */
  marked?: string | null;
  /** When given, a token can be clicked (e.g. to make it the target). */
  onPick?: (token: string) => void;
}

/** Probabilities as bars, most probable first. */
export function NextTokens({ items, caption, testId = 'next-tokens', marked = null, onPick }: NextTokensProps) {
  const max = Math.max(1e-12, ...items.map((x) => x.p));
  return (
    <figure className="al-next" data-testid={testId}>
      <figcaption>{caption}</figcaption>
      <ol>
        {items.map((x, k) => (
          <li key={k} data-testid="next-token" data-token={x.token} data-p={x.p} className={x.token === marked ? 'al-next-marked' : undefined}>
            {onPick ? (
              <button type="button" className="al-next-token" onClick={() => onPick(x.token)}>
                {displayToken(x.token)}
              </button>
            ) : (
              <span className="al-next-token">{displayToken(x.token)}</span>
            )}
            <span className="al-flow-track" aria-hidden="true">
              <span className="al-flow-fill" style={{ width: `${(100 * x.p) / max}%` }} />
            </span>
            <span className="al-flow-value">{formatValue(x.p)}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
