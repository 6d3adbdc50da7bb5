package web

// Words of the forms and lists of issue 13 item 5 (intake, initial
// report, incident list, inbox, protection-period board, duty), in
// Chinese and English.
var formsMessages = map[string][2]string{
	"incident.col.deadline": {"最近时限", "Next deadline"},
	"incident.sort":         {"排序", "Order"},
	"incident.sort.due":     {"时限最近优先", "Nearest deadline first"},
	"incident.sort.new":     {"最新发现优先", "Newest first"},
	"incident.due.none":     {"无待办时限", "No open deadline"},

	"inbox.onward":         {"本级上报时限", "Our onward deadline"},
	"inbox.onward.none":    {"本级无上报时限", "No onward deadline of ours"},
	"inbox.forwarded.line": {"已上报 %s 至 %s", "Forwarded %s to %s"},
}

func init() {
	for k, m := range formsMessages {
		messages[k] = m
	}
}
