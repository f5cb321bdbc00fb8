import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (ids only, never text), append-only in the database itself: a statement-level
 * trigger makes every UPDATE, DELETE and TRUNCATE of audit_events raise, for every role including
 * the table's owner (the role the app runs as); the privileges are revoked too. Only dropping the
 * table or disabling the trigger (DDL no request path runs) could remove entries.
 */
export class AuditTrail1796146564764 implements MigrationInterface {
  name = 'AuditTrail1796146564764';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "actor_id" uuid, "actor_role" text NOT NULL, "action" text NOT NULL, "subject_type" text NOT NULL, "subject_id" text NOT NULL, "person_id" uuid, "request_id" text, CONSTRAINT "CHK_audit_events_actor_role" CHECK ("actor_role" IN ('coach', 'client', 'system')), CONSTRAINT "CHK_audit_events_subject_type" CHECK ("subject_type" IN ('client', 'enrollment', 'account', 'encrypted_table')), CONSTRAINT "CHK_audit_events_action" CHECK ("action" IN ('client_notes.read', 'shared_reflections.read', 'data.exported', 'account.erased', 'key.rotated')), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_events_person" ON "audit_events"  ("person_id", "id") `);
    await queryRunner.query(
      `CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
       END
       $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
    );
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM PUBLIC, CURRENT_USER`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON "audit_events"`);
    await queryRunner.query(`DROP TRIGGER audit_events_no_update_delete ON "audit_events"`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_events_person"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
