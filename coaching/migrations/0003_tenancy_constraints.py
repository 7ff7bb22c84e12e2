"""Coach, athlete, group and plan belong to one club: enforced by PostgreSQL.

The invariants (SECURITY.md, "Tenancy"):

1. An athlete's coach is a coach of the athlete's club:
   athletes_athlete (coach_id, club_id) → coaching_coach (id, club_id).
2. An invitation's coach is a coach of the invitation's club:
   coaching_invitation (coach_id, club_id) → coaching_coach (id, club_id).
3. A planned session's block is a block of the same athlete:
   plans_plannedsession (block_id, athlete_id) → plans_block (id, athlete_id); a session
   without a block passes (MATCH SIMPLE).
4. A training group's members are athletes of the group's club (a trigger: the membership
   row has no club column to point a composite key with).
5. A block made from a template is a block of an athlete of the template's club (a trigger,
   for the same reason).

Each is checked from both sides: a composite foreign key also refuses moving the parent
(a coach to another club under their athletes), and the triggers also fire when a group,
an athlete or a template changes club. QuerySet.update() and bulk_create() skip the
models' save() checks, so this is the guard that holds whatever the code path.

The constraints are DEFERRABLE INITIALLY IMMEDIATE: checked at once, like a CHECK, unless
a transaction defers them explicitly. SQLite (the embedded default of `make run`) gets none
of this — its guard is the models' save() — so the SQL runs on PostgreSQL only.
"""

from django.db import migrations

FORWARD = [
    # 1–3: composite keys.
    "ALTER TABLE coaching_coach ADD CONSTRAINT tenancy_coach_id_club_unique UNIQUE (id, club_id)",
    "ALTER TABLE athletes_athlete ADD CONSTRAINT tenancy_athlete_coach_in_club "
    "FOREIGN KEY (coach_id, club_id) REFERENCES coaching_coach (id, club_id) "
    "DEFERRABLE INITIALLY IMMEDIATE",
    "ALTER TABLE coaching_invitation ADD CONSTRAINT tenancy_invitation_coach_in_club "
    "FOREIGN KEY (coach_id, club_id) REFERENCES coaching_coach (id, club_id) "
    "DEFERRABLE INITIALLY IMMEDIATE",
    "ALTER TABLE plans_block ADD CONSTRAINT tenancy_block_id_athlete_unique "
    "UNIQUE (id, athlete_id)",
    "ALTER TABLE plans_plannedsession ADD CONSTRAINT tenancy_session_block_of_athlete "
    "FOREIGN KEY (block_id, athlete_id) REFERENCES plans_block (id, athlete_id) "
    "DEFERRABLE INITIALLY IMMEDIATE",
    # 4: group membership.
    """
    CREATE FUNCTION tenancy_membership_check() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        group_club uuid;
        athlete_club uuid;
    BEGIN
        SELECT club_id INTO group_club FROM athletes_traininggroup WHERE id = NEW.group_id;
        SELECT club_id INTO athlete_club FROM athletes_athlete WHERE id = NEW.athlete_id;
        IF group_club <> athlete_club THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'tenancy: athlete ' || NEW.athlete_id
                    || ' and training group ' || NEW.group_id || ' belong to different clubs';
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE CONSTRAINT TRIGGER tenancy_membership_in_club "
    "AFTER INSERT OR UPDATE OF group_id, athlete_id ON athletes_groupmembership "
    "DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION tenancy_membership_check()",
    """
    CREATE FUNCTION tenancy_group_club_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM athletes_groupmembership m
            JOIN athletes_athlete a ON a.id = m.athlete_id
            WHERE m.group_id = NEW.id AND a.club_id <> NEW.club_id
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'tenancy: training group ' || NEW.id
                    || ' has members of another club';
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE CONSTRAINT TRIGGER tenancy_group_club_change "
    "AFTER UPDATE OF club_id ON athletes_traininggroup "
    "DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION tenancy_group_club_check()",
    # 5: blocks made from templates.
    """
    CREATE FUNCTION tenancy_block_check() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        template_club uuid;
        athlete_club uuid;
    BEGIN
        IF NEW.template_id IS NULL THEN
            RETURN NULL;
        END IF;
        SELECT club_id INTO template_club FROM plans_plantemplate WHERE id = NEW.template_id;
        SELECT club_id INTO athlete_club FROM athletes_athlete WHERE id = NEW.athlete_id;
        IF template_club <> athlete_club THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'tenancy: block ' || NEW.id
                    || ' comes from a template of another club';
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE CONSTRAINT TRIGGER tenancy_block_template_in_club "
    "AFTER INSERT OR UPDATE OF template_id, athlete_id ON plans_block "
    "DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION tenancy_block_check()",
    """
    CREATE FUNCTION tenancy_template_club_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM plans_block b
            JOIN athletes_athlete a ON a.id = b.athlete_id
            WHERE b.template_id = NEW.id AND a.club_id <> NEW.club_id
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'tenancy: template ' || NEW.id
                    || ' has blocks of athletes of another club';
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE CONSTRAINT TRIGGER tenancy_template_club_change "
    "AFTER UPDATE OF club_id ON plans_plantemplate "
    "DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION tenancy_template_club_check()",
    # 4 and 5 from the athlete's side: moving an athlete to another club.
    """
    CREATE FUNCTION tenancy_athlete_club_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM athletes_groupmembership m
            JOIN athletes_traininggroup g ON g.id = m.group_id
            WHERE m.athlete_id = NEW.id AND g.club_id <> NEW.club_id
        ) OR EXISTS (
            SELECT 1 FROM plans_block b
            JOIN plans_plantemplate t ON t.id = b.template_id
            WHERE b.athlete_id = NEW.id AND t.club_id <> NEW.club_id
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation',
                MESSAGE = 'tenancy: athlete ' || NEW.id
                    || ' has groups or templates of another club';
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE CONSTRAINT TRIGGER tenancy_athlete_club_change "
    "AFTER UPDATE OF club_id ON athletes_athlete "
    "DEFERRABLE INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION tenancy_athlete_club_check()",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS tenancy_athlete_club_change ON athletes_athlete",
    "DROP FUNCTION IF EXISTS tenancy_athlete_club_check()",
    "DROP TRIGGER IF EXISTS tenancy_template_club_change ON plans_plantemplate",
    "DROP FUNCTION IF EXISTS tenancy_template_club_check()",
    "DROP TRIGGER IF EXISTS tenancy_block_template_in_club ON plans_block",
    "DROP FUNCTION IF EXISTS tenancy_block_check()",
    "DROP TRIGGER IF EXISTS tenancy_group_club_change ON athletes_traininggroup",
    "DROP FUNCTION IF EXISTS tenancy_group_club_check()",
    "DROP TRIGGER IF EXISTS tenancy_membership_in_club ON athletes_groupmembership",
    "DROP FUNCTION IF EXISTS tenancy_membership_check()",
    "ALTER TABLE plans_plannedsession DROP CONSTRAINT IF EXISTS tenancy_session_block_of_athlete",
    "ALTER TABLE plans_block DROP CONSTRAINT IF EXISTS tenancy_block_id_athlete_unique",
    "ALTER TABLE coaching_invitation DROP CONSTRAINT IF EXISTS tenancy_invitation_coach_in_club",
    "ALTER TABLE athletes_athlete DROP CONSTRAINT IF EXISTS tenancy_athlete_coach_in_club",
    "ALTER TABLE coaching_coach DROP CONSTRAINT IF EXISTS tenancy_coach_id_club_unique",
]


def _run(statements: list[str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: the models' save() is the guard
        for statement in statements:
            # No parameters: the SQL is sent as it is, without placeholder parsing.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_invitations"),
        ("athletes", "0005_training_groups"),
        ("plans", "0008_supersets"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
