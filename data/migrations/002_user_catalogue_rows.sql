-- Rows users add to or change in the catalogues. Seeds are reloaded when their
-- file changes; these tables are never touched by a reload.
CREATE TABLE user_accelerators (
    key VARCHAR PRIMARY KEY,
    row JSON NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE user_references (
    id VARCHAR PRIMARY KEY,
    row JSON NOT NULL,
    created_at TIMESTAMP NOT NULL
);
