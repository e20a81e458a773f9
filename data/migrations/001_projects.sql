-- Projects: one row per deep-learning initiative; its content lives in sections,
-- one JSON document each, and every save is kept as a version of the whole project.
CREATE TABLE projects (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL
);
CREATE TABLE project_sections (
    project_id VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    document JSON NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, section)
);
CREATE TABLE project_versions (
    project_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    change VARCHAR NOT NULL,
    document JSON NOT NULL,
    PRIMARY KEY (project_id, version)
);
CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
CREATE TABLE catalogue_seeds (
    name VARCHAR PRIMARY KEY,
    sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
