-- 0030_awareness: the situational-awareness screen (issue 13 item 1) counts
-- the open monitoring alerts of a subtree; without this index every alert
-- ever raised would be read to find the open ones.
CREATE INDEX monitor_alerts_open ON monitor_alerts (status, monitor_id);
