-- Prices users change in the hosted-model catalogue (data/hosted_models.csv). Only the changed fields are
-- kept, by key; deleting the row restores the published price. A seed reload never touches this table.
CREATE TABLE user_hosted_models (
    key VARCHAR PRIMARY KEY,
    row JSON NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
