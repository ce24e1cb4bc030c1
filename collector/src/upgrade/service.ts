/**
 * Agent upgrades on the collector's side: the signing key, the build on offer, and whether agents install it by
 * themselves (API over YAML over the default, off). The agent socket asks it what to tell an agent after the welcome.
 */
import type { UpdateMessage } from '@nines/shared';
import type { Store } from '../store/store.ts';
import { compareVersions, offerIn, type UpgradeOffer } from './offer.ts';
import type { SigningKey } from './signing-key.ts';

export interface UpgradeSetting {
  automatic: boolean;
  /** Where the value in effect comes from. */
  source: 'api' | 'yaml' | 'default';
}

export class UpgradeService {
  constructor(
    readonly signingKey: SigningKey,
    private readonly store: Store,
    /** Served at /download/; null when this collector publishes no builds (then nothing is ever offered). */
    readonly downloadsDir: string | null,
    /** The version of the builds when DOWNLOADS_DIR/VERSION is absent: the collector's own. */
    private readonly ownVersion: string,
    /** `upgrade.automatic` from the YAML, if set. */
    private readonly fileAutomatic: boolean | undefined,
  ) {}

  async setting(): Promise<UpgradeSetting> {
    const saved = await this.store.upgradeSettings.get();
    if (saved) return { automatic: saved.automatic, source: 'api' };
    if (this.fileAutomatic !== undefined) return { automatic: this.fileAutomatic, source: 'yaml' };
    return { automatic: false, source: 'default' };
  }

  offer(): UpgradeOffer | null {
    return this.downloadsDir ? offerIn(this.downloadsDir, this.ownVersion) : null;
  }

  /** The `update` message for an agent of this version, or null when nothing newer is published. */
  async updateFor(agentVersion: string | null): Promise<UpdateMessage | null> {
    const offer = this.offer();
    if (!offer || agentVersion === null || compareVersions(offer.version, agentVersion) !== 1) return null;
    return { type: 'update', version: offer.version, automatic: (await this.setting()).automatic, files: offer.files };
  }
}
