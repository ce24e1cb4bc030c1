// The dashboard's views in real Chromium (the suite lives in views-suite.ts; its collector's clock is fixed
// to a mid-month day, so it runs the same whatever day it is).
await import('./views-suite.ts');
