/** The install commands shown next to a fresh enrollment token: built in shared/ (one function, tested there and run for real here). */
export { installCommands } from '@nines/shared';
