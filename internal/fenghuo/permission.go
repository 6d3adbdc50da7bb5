package fenghuo

// Permission is a right a role grants within the user's org subtree.
type Permission string

const (
	PermOrgRead     Permission = "org.read"
	PermOrgWrite    Permission = "org.write"
	PermSystemRead  Permission = "system.read"
	PermSystemWrite Permission = "system.write"
	PermUserRead    Permission = "user.read"
	PermUserWrite   Permission = "user.write"
	PermAuditRead   Permission = "audit.read"
	PermPlanRead    Permission = "plan.read"
	PermPlanWrite   Permission = "plan.write"

	// Incidents: read, file and edit (units and duty officers), receive and
	// forward reports (offices), override grades and run the response
	// (regulators' commanders and analysts).
	PermIncidentRead    Permission = "incident.read"
	PermIncidentWrite   Permission = "incident.write"
	PermIncidentReceive Permission = "incident.receive"
	PermIncidentGrade   Permission = "incident.grade"

	// Warnings and protection periods: offices issue and set them; units
	// (and offices' duty officers) acknowledge, report measures and file
	// daily reports. Duty rosters are kept by commanders and duty officers.
	PermWarningIssue Permission = "warning.issue"
	PermWarningAck   Permission = "warning.ack"
	PermDutyWrite    Permission = "duty.write"

	// PermContactReveal shows a person's phone or e-mail in full instead of
	// masked (issue 15 item 5): to those who call people in an incident or
	// keep their accounts, over their own subtree; each reveal is audited.
	// Viewers, wall displays and the audit administrator see masks only.
	PermContactReveal Permission = "contact.reveal"
)

// rolePermissions is the rights matrix. The three administrators are kept
// apart (三权分立): the system admin runs the platform and the org tree, the
// security admin manages accounts and rights, the audit admin reads the
// audit log; none of them sees another's area.
var rolePermissions = map[Role][]Permission{
	RoleSystemAdmin:   {PermOrgRead, PermOrgWrite, PermSystemRead, PermSystemWrite, PermPlanRead, PermPlanWrite, PermContactReveal},
	RoleSecurityAdmin: {PermOrgRead, PermUserRead, PermUserWrite, PermContactReveal},
	RoleAuditAdmin:    {PermOrgRead, PermAuditRead},
	RoleCommander: {PermOrgRead, PermOrgWrite, PermSystemRead, PermSystemWrite, PermUserRead, PermPlanRead,
		PermIncidentRead, PermIncidentWrite, PermIncidentReceive, PermIncidentGrade, PermWarningIssue, PermWarningAck, PermDutyWrite, PermContactReveal},
	RoleAnalyst: {PermOrgRead, PermSystemRead, PermSystemWrite, PermPlanRead,
		PermIncidentRead, PermIncidentWrite, PermIncidentReceive, PermIncidentGrade, PermWarningIssue, PermWarningAck, PermContactReveal},
	RoleDutyOfficer: {PermOrgRead, PermSystemRead, PermPlanRead, PermIncidentRead, PermIncidentWrite, PermIncidentReceive,
		PermWarningAck, PermDutyWrite, PermContactReveal},
	// A unit's reporter reveals within its unit (a unit has no subtree).
	RoleUnitReporter: {PermOrgRead, PermSystemRead, PermSystemWrite, PermPlanRead, PermIncidentRead, PermIncidentWrite, PermWarningAck, PermContactReveal},
	RoleViewer:       {PermOrgRead, PermSystemRead, PermPlanRead, PermIncidentRead},
	// A wall display (GET /wall) reads incidents, warnings and periods
	// (incident.read) and the org tree with who is on duty at each office
	// (org.read); it reads nothing else and changes nothing.
	RoleDisplay: {PermOrgRead, PermIncidentRead},
}

// RolePermissions returns the rights of a role.
func RolePermissions(r Role) []Permission { return rolePermissions[r] }

// Can reports whether any of u's roles grants p. Where the right applies is
// a separate question: see CanAt.
func (u *User) Can(p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, r := range u.Roles {
		for _, q := range rolePermissions[r] {
			if q == p {
				return true
			}
		}
	}
	return false
}

// CanAt reports whether u, a member of the org with path userOrgPath, holds
// p over an object of the org with path targetOrgPath: rights reach the
// user's own org and everything below it, never siblings or parents.
func (u *User) CanAt(p Permission, userOrgPath, targetOrgPath string) bool {
	return u.Can(p) && InSubtree(userOrgPath, targetOrgPath)
}

// CanRevealContact reports whether u, a member of the org with path
// userOrgPath, may see in full a phone number or e-mail address of a person
// of the org with path subjectOrgPath (issue 15 item 5). Everyone may see
// their own (self); otherwise it takes PermContactReveal and the subject in
// u's subtree: the org's own people and the offices above it that call them
// in an incident or keep their accounts, never a sibling.
func (u *User) CanRevealContact(userOrgPath, subjectOrgPath string, self bool) bool {
	if u == nil || u.Disabled {
		return false
	}
	if self {
		return true
	}
	return u.CanAt(PermContactReveal, userOrgPath, subjectOrgPath)
}
