DROP TABLE partner_parent_history;
