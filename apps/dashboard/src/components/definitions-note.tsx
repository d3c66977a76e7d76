import { useView } from '../view';

/**
 * "definitions v3": the version of the metric parameters (what counts as a promoter, a satisfied or
 * an easy score, the minimum sample) the page's numbers were computed under, as the answers state
 * it; nothing until an answer has said.
 */
export function DefinitionsNote({ version }: { version: number | undefined }) {
  const { t } = useView();
  if (version === undefined) return null;
  return (
    <p class="definitions-note" data-testid="definitions-version" title={t('definitionsVersionHint', { version })}>
      {t('definitionsVersion', { version })}
    </p>
  );
}
