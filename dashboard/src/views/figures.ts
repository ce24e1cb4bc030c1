/** The part of GET /api/v1/availability (collector/src/availability/query.ts AvailabilityFigure) the views read. */
export interface AvailabilityFigureLite {
  availability: number | null;
  availabilityPercent: string | null;
  met: boolean | null;
  coverage: number | null;
}
