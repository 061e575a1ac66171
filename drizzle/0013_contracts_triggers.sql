-- A rating's scores and the rated contract never change once given (staff may only hide the comment).
CREATE FUNCTION ratings_scores_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'ratings are never deleted' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.quality IS DISTINCT FROM OLD.quality OR NEW.timeliness IS DISTINCT FROM OLD.timeliness
    OR NEW.attitude IS DISTINCT FROM OLD.attitude OR NEW.fees IS DISTINCT FROM OLD.fees
    OR NEW.conduct IS DISTINCT FROM OLD.conduct OR NEW.comment IS DISTINCT FROM OLD.comment
    OR NEW.contract_id IS DISTINCT FROM OLD.contract_id OR NEW.firm_id IS DISTINCT FROM OLD.firm_id
    OR NEW.rated_at IS DISTINCT FROM OLD.rated_at THEN
    RAISE EXCEPTION 'a rating''s scores and comment never change' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ratings_scores_immutable BEFORE UPDATE OR DELETE ON ratings
  FOR EACH ROW EXECUTE FUNCTION ratings_scores_immutable();
