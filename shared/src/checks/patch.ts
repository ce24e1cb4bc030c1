import { Type, type Static } from '@sinclair/typebox';
import { checkSchema } from './base.ts';
import { DurationSchema } from '../time.ts';

export const PATCH_MANAGERS = ['apt', 'dnf', 'yum', 'zypper', 'apk', 'pacman', 'macos', 'windows'] as const;
export type PatchManager = (typeof PATCH_MANAGERS)[number];

export const PATCH_DEFAULT_INTERVAL_MS = 3_600_000; // patch state changes slowly; hourly is plenty and spares the package manager
export const PATCH_DEFAULT_CACHE_TTL_MS = 3_600_000; // an agent restart within the hour reuses the last answer
export const PATCH_DEFAULT_TIMEOUT_MS = 120_000; // a cold dnf/zypper metadata load on a small VM takes tens of seconds
export const PATCH_DEFAULT_PENDING_AFTER_MS = 7 * 86_400_000; // a week: the usual patch cycle of a small business
export const PATCH_DEFAULT_INDEX_MAX_AGE_MS = 7 * 86_400_000; // older lists hide new updates, so "0 pending" means little

/** A duration field with its own description (DurationSchema's alternatives, described). */
function duration(description: string) {
  return Type.Union([...DurationSchema.anyOf], { description });
}

const VerdictSchema = Type.Union([Type.Literal('OK'), Type.Literal('WARN'), Type.Literal('CRIT')]);

export const PatchCheckSchema = checkSchema(
  'patch',
  {
    manager: Type.Optional(
      Type.Union([Type.Literal('auto'), ...PATCH_MANAGERS.map((m) => Type.Literal(m))], {
        default: 'auto',
        description: 'package manager to ask; auto finds the one this machine has',
      }),
    ),
    pendingAfter: Type.Optional(duration('WARN when any update has been pending this long (default 7d)')),
    securityAfter: Type.Optional(duration('raise security updates once pending this long (default 0: at once)')),
    securityStatus: Type.Optional(Type.Union([...VerdictSchema.anyOf], { description: 'status for pending security updates (default CRIT)' })),
    rebootStatus: Type.Optional(Type.Union([...VerdictSchema.anyOf], { description: 'status when a reboot is required (default WARN)' })),
    indexMaxAge: Type.Optional(duration('WARN when the package index is older than this (default 7d)')),
    cacheTtl: Type.Optional(duration('reuse the package manager answer this long (default 1h)')),
  },
  'pending updates, security updates, reboot required and package index age, from the machine package manager',
);
export type PatchCheckConfig = Static<typeof PatchCheckSchema>;
