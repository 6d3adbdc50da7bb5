package plan

import "fenghuo/internal/fenghuo"

// Roles an organisation can play in a plan. An organisation in the tree
// carries one or more of them; routes and issuer rules name them.
const (
	RoleAny                  = "any"
	RoleOperator             = "operator"              // 运行单位 / 事发单位
	RoleCompetentDepartment  = "competent_department"  // 主管部门 / 行业主管部门
	RoleCyberspaceOffice     = "cyberspace_office"     // 网信办
	RolePublicSecurity       = "public_security"       // 公安机关
	RoleMonitoring           = "monitoring"            // 监测监管机构
	RoleLeadingGroup         = "leading_group"         // 网络安全领导小组(办公室)
	RoleProtectionDepartment = "protection_department" // 关键信息基础设施保护工作部门
	RoleEmergencyOffice      = "emergency_office"      // 国家网络安全应急办公室
	RoleCommand              = "command"               // 应急指挥部
	RoleSupportTeam          = "support_team"          // 技术支撑队伍
	RoleExpertGroup          = "expert_group"          // 专家组
	RoleIndustryAuthority    = "industry_authority"    // 行业行政部门 (e.g. 广电局)
	RoleInformationCommittee = "information_committee" // 网信委
)

var roleNames = map[string]Text{
	RoleAny:                  {ZH: "任何单位", EN: "any organisation"},
	RoleOperator:             {ZH: "运行单位", EN: "operating unit"},
	RoleCompetentDepartment:  {ZH: "主管部门", EN: "competent department"},
	RoleCyberspaceOffice:     {ZH: "网信办", EN: "cyberspace affairs office"},
	RolePublicSecurity:       {ZH: "公安机关", EN: "public security"},
	RoleMonitoring:           {ZH: "监测监管机构", EN: "monitoring organisation"},
	RoleLeadingGroup:         {ZH: "网络安全领导小组办公室", EN: "cybersecurity leading group office"},
	RoleProtectionDepartment: {ZH: "保护工作部门", EN: "CII protection department"},
	RoleEmergencyOffice:      {ZH: "网络安全应急办公室", EN: "cybersecurity emergency office"},
	RoleCommand:              {ZH: "网络安全事件应急指挥部", EN: "incident command"},
	RoleSupportTeam:          {ZH: "技术支撑队伍", EN: "technical support team"},
	RoleExpertGroup:          {ZH: "应急专家组", EN: "expert group"},
	RoleIndustryAuthority:    {ZH: "行业行政部门", EN: "sector authority"},
	RoleInformationCommittee: {ZH: "网络安全和信息化委员会", EN: "cybersecurity and informatisation committee"},
}

var levelNames = map[fenghuo.OrgLevel]Text{
	fenghuo.LevelNational:   {ZH: "国家", EN: "national"},
	fenghuo.LevelProvince:   {ZH: "省级", EN: "provincial"},
	fenghuo.LevelCity:       {ZH: "市级", EN: "city"},
	fenghuo.LevelCounty:     {ZH: "县级", EN: "county"},
	fenghuo.LevelDepartment: {ZH: "部门", EN: "department"},
	fenghuo.LevelUnit:       {ZH: "单位", EN: "unit"},
}

// RoleName returns the bilingual name of a plan role.
func RoleName(role string) Text { return roleNames[role] }

// Roles lists the known plan roles.
func Roles() []string { return sortedKeys(roleNames) }

// Events a time limit can be counted from.
const (
	EventOccurrence      = "occurrence"       // 事件发生
	EventDiscovery       = "discovery"        // 发现
	EventUpstreamReceipt = "upstream_receipt" // receipt of the previous leg's report
	EventResponseStart   = "response_start"   // 应急响应启动
	EventResponseEnd     = "response_end"     // 应急响应结束 / 应急终止
	EventHandlingEnd     = "handling_end"     // 事件处置结束
	EventRiskNotice      = "risk_notice"      // 收到风险通报
	EventWarningIssued   = "warning_issued"   // 预警发布
)

var eventNames = map[string]Text{
	EventOccurrence:      {ZH: "事件发生", EN: "occurrence"},
	EventDiscovery:       {ZH: "发现事件", EN: "discovery"},
	EventUpstreamReceipt: {ZH: "收到下级报告", EN: "receipt of the report from below"},
	EventResponseStart:   {ZH: "应急响应启动", EN: "response start"},
	EventResponseEnd:     {ZH: "应急响应结束", EN: "response end"},
	EventHandlingEnd:     {ZH: "事件处置结束", EN: "end of handling"},
	EventRiskNotice:      {ZH: "收到风险通报", EN: "receipt of the risk notice"},
	EventWarningIssued:   {ZH: "预警发布", EN: "warning issued"},
}

// EventName returns the bilingual name of an event.
func EventName(e string) Text { return eventNames[e] }

// Urgencies for routes without a number of minutes.
const (
	UrgencyImmediately = "immediately" // 立即 / 第一时间
	UrgencyTimely      = "timely"      // 及时
)

var urgencyNames = map[string]Text{
	UrgencyImmediately: {ZH: "立即", EN: "immediately"},
	UrgencyTimely:      {ZH: "及时", EN: "without delay"},
}

// Switches are what warnings and response levels turn on.
const (
	SwitchPlanActivated        = "plan_activated"         // 启动应急预案
	SwitchDuty24h              = "duty_24h"               // 24小时值班
	SwitchSupportStandby       = "support_standby"        // 技术支撑队伍待命
	SwitchExpertConsultation   = "expert_consultation"    // 联系专家研判
	SwitchCommandPost          = "command_post"           // 成立应急指挥部
	SwitchMonitoringIntensive  = "monitoring_intensified" // 加强监测和信息搜集
	SwitchRiskAssessment       = "risk_assessment"        // 风险评估和隐患排查
	SwitchSituationReports     = "situation_reports"      // 事态发展情况及时上报
	SwitchCommunicationsAssure = "communications_assured" // 通讯联络畅通
)

var switchNames = map[string]Text{
	SwitchPlanActivated:        {ZH: "启动应急预案", EN: "emergency plan activated"},
	SwitchDuty24h:              {ZH: "24小时值班", EN: "24-hour duty"},
	SwitchSupportStandby:       {ZH: "技术支撑队伍待命", EN: "support teams on standby"},
	SwitchExpertConsultation:   {ZH: "联系专家研判", EN: "experts consulted"},
	SwitchCommandPost:          {ZH: "成立应急指挥部", EN: "incident command set up"},
	SwitchMonitoringIntensive:  {ZH: "加强监测和信息搜集", EN: "monitoring intensified"},
	SwitchRiskAssessment:       {ZH: "风险评估和隐患排查", EN: "risk assessment and hazard checks"},
	SwitchSituationReports:     {ZH: "事态发展情况及时上报", EN: "situation reports sent up"},
	SwitchCommunicationsAssure: {ZH: "保持通讯联络畅通", EN: "communications kept open"},
}

// SwitchName returns the bilingual name of a switch.
func SwitchName(s string) Text { return switchNames[s] }
