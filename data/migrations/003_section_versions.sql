-- Optimistic concurrency and compact history.
-- project_sections.version: the project version at which the section was last written, so a save can say
-- which version it was based on and be refused (or merged) when someone saved the section since.
ALTER TABLE project_sections ADD COLUMN version INTEGER DEFAULT 0;
UPDATE project_sections SET version = (SELECT p.version FROM projects p WHERE p.id = project_id);
-- A version now records who saved it, the project's name then and which stored section documents made it
-- up (name -> content hash); each distinct section document is stored once per project, compressed.
-- Versions written before this migration keep their whole document in the old column.
ALTER TABLE project_versions ADD COLUMN author VARCHAR;
ALTER TABLE project_versions ADD COLUMN name VARCHAR;
ALTER TABLE project_versions ADD COLUMN sections JSON;
ALTER TABLE project_versions ALTER COLUMN document DROP NOT NULL;
CREATE TABLE section_documents (
    project_id VARCHAR NOT NULL,
    hash VARCHAR NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (project_id, hash)
);
