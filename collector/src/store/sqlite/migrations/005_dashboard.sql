-- Dashboard and management (issue 10): each client's availability target, as the consultant sells it.
-- Parts per million so the comparison stays in integers: 999000 = 99.9 %.
ALTER TABLE clients ADD COLUMN sla_target_ppm INTEGER NOT NULL DEFAULT 999000 CHECK (sla_target_ppm BETWEEN 500000 AND 1000000);
