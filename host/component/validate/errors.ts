/**
 * The validator's two ways to refuse: a broken rule (`ERR_COMPONENT_INVALID`, with the rule's
 * stable name and the byte offset) and a feature this host does not implement
 * (`ERR_COMPONENT_UNSUPPORTED`, naming the feature). Rule names group the checks the way
 * the folder does: `index`, `names`, `types`, `canon`, `core`, `instantiate`, … followed
 * by the particular rule (`canon/lift-signature`).
 */
import { PluginHostError } from '../../../common/errors.js';
import { unsupportedFeature } from '../binary/parse-core-types.js';

export function invalid(rule: string, at: number | undefined, message: string): PluginHostError {
  const where = at === undefined ? '' : ` at byte ${at}`;
  return new PluginHostError('ERR_COMPONENT_INVALID', `invalid component${where}: ${message} (rule ${rule})`, {
    rule, ...(at === undefined ? {} : { offset: at }),
  });
}

/** The same error the decoder raises for features it cannot even step over. */
export const unsupported = unsupportedFeature;
