// The one place the client meets the server: the router's type (erased at build time, bundled into index.d.ts).
import type { AppRouter, ErrorCode, RouterInputs, RouterOutputs } from '@campaigns/api';

export type { AppRouter, ErrorCode, RouterInputs, RouterOutputs };
