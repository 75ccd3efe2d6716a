-- The period lock enforced by the database itself, so that a write path added later cannot skip
-- it. The application checks first (the write gate answers 409 period-locked naming the period,
-- after taking the lock protocol's KEY SHARE on the agency); these statement-level triggers are the
-- safety net and cost one indexed probe of period_locks per statement.
CREATE FUNCTION sakip_guard_measurements() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE hit record;
BEGIN
  SELECT n.agency_id, n.period INTO hit FROM changed n
    JOIN period_locks l ON l.agency_id = n.agency_id AND l.period IN (n.period, left(n.period, 4)) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Period % of agency % is locked', hit.period, hit.agency_id USING ERRCODE = 'SK409', DETAIL = hit.period;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER measurements_lock_guard_ins AFTER INSERT ON measurements REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_measurements();
--> statement-breakpoint
CREATE TRIGGER measurements_lock_guard_upd AFTER UPDATE ON measurements REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_measurements();
--> statement-breakpoint
CREATE FUNCTION sakip_guard_targets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE hit record;
BEGIN
  SELECT i.agency_id, n.period INTO hit FROM changed n JOIN indicators i ON i.id = n.indicator_id
    JOIN period_locks l ON l.agency_id = i.agency_id AND l.period IN (n.period, left(n.period, 4)) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Period % of agency % is locked', hit.period, hit.agency_id USING ERRCODE = 'SK409', DETAIL = hit.period;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER targets_lock_guard_ins AFTER INSERT ON targets REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_targets();
--> statement-breakpoint
CREATE TRIGGER targets_lock_guard_upd AFTER UPDATE ON targets REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_targets();
--> statement-breakpoint
CREATE TRIGGER targets_lock_guard_del AFTER DELETE ON targets REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_targets();
--> statement-breakpoint
CREATE FUNCTION sakip_guard_budgets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE hit record;
BEGIN
  SELECT e.agency_id, n.year::text AS period INTO hit FROM changed n JOIN elements e ON e.id = n.element_id
    JOIN period_locks l ON l.agency_id = e.agency_id AND l.period = n.year::text LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Period % of agency % is locked', hit.period, hit.agency_id USING ERRCODE = 'SK409', DETAIL = hit.period;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER budgets_lock_guard_ins AFTER INSERT ON budgets REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_budgets();
--> statement-breakpoint
CREATE TRIGGER budgets_lock_guard_upd AFTER UPDATE ON budgets REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_budgets();
--> statement-breakpoint
CREATE FUNCTION sakip_guard_agency_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE hit record;
BEGIN
  SELECT n.agency_id, n.year::text AS period INTO hit FROM changed n
    JOIN period_locks l ON l.agency_id = n.agency_id AND l.period = n.year::text LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Period % of agency % is locked', hit.period, hit.agency_id USING ERRCODE = 'SK409', DETAIL = hit.period;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER agreements_lock_guard_ins AFTER INSERT ON agreements REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_agency_year();
--> statement-breakpoint
CREATE TRIGGER agreements_lock_guard_upd AFTER UPDATE ON agreements REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_agency_year();
--> statement-breakpoint
CREATE TRIGGER agreement_items_lock_guard_ins AFTER INSERT ON agreement_items REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_agency_year();
--> statement-breakpoint
CREATE TRIGGER agreement_items_lock_guard_del AFTER DELETE ON agreement_items REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_agency_year();
--> statement-breakpoint
CREATE TRIGGER agreement_budget_lock_guard_ins AFTER INSERT ON agreement_budget REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_agency_year();
--> statement-breakpoint
CREATE TRIGGER agreement_budget_lock_guard_del AFTER DELETE ON agreement_budget REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION sakip_guard_agency_year();
