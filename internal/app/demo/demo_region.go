package demo

import "fenghuo/internal/fenghuo"

// The demo region is fictional (云州市): names of real places are avoided so
// that nobody mistakes demo data for a real office's.

func regulator(name, short string, level fenghuo.OrgLevel, plans ...string) fenghuo.Org {
	return fenghuo.Org{Name: name, ShortName: short, Level: level, Type: fenghuo.OrgRegulator, Sector: "government",
		PlanRoles: []string{"cyberspace_office", "leading_group"}, PlanIDs: plans,
		Liaison: fenghuo.Liaison{Name: "王海峰", Title: "科长", Mobile: "13904770001"}}
}

func unit(name, sector string, kinds ...string) fenghuo.Org {
	return fenghuo.Org{Name: name, Level: fenghuo.LevelUnit, Type: fenghuo.OrgOperator, Sector: sector,
		OperatorType: fenghuo.OperatorOther, PlanRoles: append([]string{"operator"}, kinds...)}
}

func with(o fenghuo.Org, f func(*fenghuo.Org)) fenghuo.Org { f(&o); return o }

var (
	kindsPortal = []fenghuo.KeyKind{fenghuo.KindPublicInfo, fenghuo.KindLevel3Plus}
	kindsData   = []fenghuo.KeyKind{fenghuo.KindImportantData, fenghuo.KindLevel3Plus}
	kindsCity   = []fenghuo.KeyKind{fenghuo.KindCityOperation, fenghuo.KindImportantData, fenghuo.KindLevel3Plus}
)

func portal(name, dept, person, host string, components ...string) demoSystem {
	return demoSystem{name: name, dept: dept, person: person, level: 3, kinds: kindsPortal, host: host, extraPorts: []string{"80"}, components: components}
}

func demoRegion() []demoOrg {
	city := regulator("云州市委网络安全和信息化委员会办公室", "云州市委网信办", fenghuo.LevelCity, "cac-2025", "national-2017")
	city.DutyPhone, city.Fax, city.ReportEmail = "0477-8581960", "0477-8581961", "cert@yunzhou.gov.cn"
	city.Address = "云州市康巴什区市府大楼A座"
	qingxi := regulator("青溪县委网络安全和信息化委员会办公室", "青溪县委网信办", fenghuo.LevelCounty, "wushen-county", "cac-2025")
	qingxi.DutyPhone, qingxi.ReportEmail = "0477-7581960", "wxb@qingxi.gov.cn"
	baisha := regulator("白沙县委网络安全和信息化委员会办公室", "白沙县委网信办", fenghuo.LevelCounty)
	baisha.DutyPhone, baisha.ReportEmail = "0477-6581960", "wxb@baisha.gov.cn"
	police := fenghuo.Org{Name: "云州市公安局网络安全保卫支队", ShortName: "市公安局网安支队", Level: fenghuo.LevelCity,
		Type: fenghuo.OrgPublicSecurity, Sector: "public_security", PlanRoles: []string{"public_security"}, DutyPhone: "0477-8110110"}
	qxPolice := fenghuo.Org{Name: "青溪县公安局", Level: fenghuo.LevelCounty, Type: fenghuo.OrgPublicSecurity,
		Sector: "public_security", PlanRoles: []string{"public_security"}, DutyPhone: "0477-7110110"}
	monitor := fenghuo.Org{Name: "云州市网络安全监测预警中心", ShortName: "市监测中心", Level: fenghuo.LevelCity,
		Type: fenghuo.OrgMonitoring, Sector: "government", PlanRoles: []string{"monitoring", "support_team"}, DutyPhone: "0477-8581900"}
	edu := fenghuo.Org{Name: "青溪县教育体育局", Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator, Sector: "education",
		PlanRoles: []string{"competent_department"}, DutyPhone: "0477-7582000"}
	tv := with(unit("云州广播电视台", "broadcast"), func(o *fenghuo.Org) {
		o.PlanIDs = []string{"dandong-broadcast", "cac-2025"}
		o.DutyPhone = "0477-8590000"
	})
	hospital := with(unit("云州市人民医院", "health"), func(o *fenghuo.Org) { o.OperatorType = fenghuo.OperatorCII })
	water := with(unit("汇源自来水有限公司", "water"), func(o *fenghuo.Org) { o.OperatorType = fenghuo.OperatorCII })

	return []demoOrg{
		{key: "city", org: city, systems: []demoSystem{
			portal("云州市人民政府门户网站", "市政务服务与数据管理局", "李明", "www.yunzhou.gov.cn", "Nginx 1.20.1", "Apache Tomcat 8.5.31", "MySQL 5.7.26"),
			{name: "云州市政务云平台", dept: "市政务服务与数据管理局", person: "赵磊", level: 3, kinds: kindsCity, host: "cloud.yunzhou.gov.cn", components: []string{"VMware vCenter 6.7", "OpenSSL 1.0.2k"}},
		}},
		{key: "police", parent: "city", org: police},
		{key: "monitor", parent: "city", org: monitor},
		{key: "tv", parent: "city", org: tv, systems: []demoSystem{
			portal("云州广播电视台网站", "新媒体中心", "高洁", "www.yzgdtv.cn", "Nginx 1.18.0", "WordPress 5.2.4", "PHP 7.2.24"),
			{name: "播出控制系统", dept: "技术部", person: "孙浩", level: 3, kinds: []fenghuo.KeyKind{fenghuo.KindKeyTarget, fenghuo.KindLevel3Plus}, components: []string{"Windows Server 2012 R2", "Microsoft SQL Server 2014"}},
			{name: "融媒体APP后台", dept: "新媒体中心", person: "高洁", level: 3, kinds: kindsPortal, host: "app.yzgdtv.cn", components: []string{"Spring Boot 2.1.6", "Redis 4.0.9", "Apache Struts2 2.5.10"}},
		}},
		{key: "hospital", parent: "city", org: hospital, systems: []demoSystem{
			{name: "医院信息系统（HIS）", dept: "信息科", person: "周丽", level: 3, cii: true, kinds: kindsCity, components: []string{"Oracle WebLogic Server 10.3.6", "Oracle Database 11.2.0.4"}},
			{name: "互联网医院预约平台", dept: "信息科", person: "周丽", level: 3, kinds: kindsData, host: "yy.yzsrmyy.cn", components: []string{"Nginx 1.16.1", "JBoss EAP 6.4", "OpenSSL 1.0.2k"}},
			{name: "影像归档和通信系统（PACS）", dept: "放射科", person: "吴强", level: 3, kinds: kindsData, components: []string{"Windows Server 2008 R2"}, extraPorts: []string{"104", "3389"}},
			portal("云州市人民医院官网", "宣传科", "郑敏", "www.yzsrmyy.cn", "IIS 7.5", "ASP.NET 4.0"),
		}},
		{key: "water", parent: "city", org: water, systems: []demoSystem{
			{name: "供水调度SCADA系统", dept: "调度中心", person: "钱伟", level: 3, cii: true, kinds: []fenghuo.KeyKind{fenghuo.KindCII, fenghuo.KindCityOperation, fenghuo.KindLevel3Plus}, components: []string{"Siemens WinCC 7.4", "Windows 7"}},
			{name: "营业收费系统", dept: "客服中心", person: "陈静", level: 2, kinds: []fenghuo.KeyKind{fenghuo.KindImportantData}, components: []string{"Oracle WebLogic Server 12.1.3", "Oracle Database 12.1"}},
			portal("汇源自来水公司网站", "办公室", "陈静", "www.hyswater.com.cn", "Apache HTTP Server 2.4.29", "PHP 5.6.40", "ThinkPHP 5.0.23"),
		}},
		{key: "transport", parent: "city", org: unit("云州市公共交通集团有限公司", "transport"), systems: []demoSystem{
			{name: "公交智能调度系统", dept: "信息中心", person: "冯涛", level: 3, kinds: kindsCity, components: []string{"Apache Tomcat 7.0.81", "MySQL 5.6.40"}},
			{name: "电子站牌信息发布系统", dept: "信息中心", person: "冯涛", level: 2, kinds: []fenghuo.KeyKind{fenghuo.KindPublicInfo}, host: "bus.yzgj.com.cn", components: []string{"Nginx 1.14.0", "Node.js 10.16.0"}},
			{name: "公交一卡通清分系统", dept: "财务部", person: "褚燕", level: 3, kinds: kindsData, components: []string{"Oracle WebLogic Server 10.3.6", "IBM WebSphere MQ 8.0"}},
		}},
		{key: "jtj", parent: "city", org: unit("云州市交通运输局", "transport"), systems: []demoSystem{
			portal("云州市交通运输局网站", "办公室", "卫东", "jtj.yunzhou.gov.cn", "Nginx 1.20.1", "Apache Tomcat 9.0.31"),
			{name: "高速公路情报板发布系统", dept: "路网中心", person: "蒋华", level: 3, kinds: []fenghuo.KeyKind{fenghuo.KindPublicInfo, fenghuo.KindCityOperation}, components: []string{"Windows Server 2012", "Microsoft IIS 8.5"}},
		}},
		{key: "qingxi", parent: "city", org: qingxi, systems: []demoSystem{
			portal("青溪县人民政府门户网站", "县政务服务与数据管理局", "沈阳", "www.qingxi.gov.cn", "Nginx 1.20.1", "JBoss AS 7.1.1", "OpenSSL 1.1.1k"),
			{name: "青溪县电子政务外网", dept: "县政务服务与数据管理局", person: "韩冰", level: 3, kinds: kindsCity, components: []string{"Cisco ASA 9.8", "OpenSSL 1.0.2k"}},
		}},
		{key: "qxpolice", parent: "qingxi", org: qxPolice},
		{key: "qxedu", parent: "qingxi", org: edu, systems: []demoSystem{
			portal("青溪县教育体育局网站", "办公室", "杨帆", "jyj.qingxi.gov.cn", "Apache HTTP Server 2.4.6", "PHP 7.0.33"),
		}},
		{key: "school1", parent: "qxedu", org: unit("青溪县第一中学", "education"), systems: []demoSystem{
			portal("青溪一中校园网站", "信息中心", "朱琳", "www.qxyz.edu.cn", "IIS 8.5", "ASP.NET 4.5"),
			{name: "学籍与成绩管理系统", dept: "教务处", person: "秦雪", level: 2, kinds: []fenghuo.KeyKind{fenghuo.KindImportantData}, components: []string{"Apache Tomcat 8.0.53", "MySQL 5.7.30"}},
		}},
		{key: "school2", parent: "qxedu", org: unit("青溪县第二中学", "education"), systems: []demoSystem{
			portal("青溪二中校园网站", "信息中心", "尤佳", "www.qxez.edu.cn", "Nginx 1.12.2", "Apache Struts2 2.3.34"),
		}},
		{key: "school3", parent: "qxedu", org: unit("青溪县实验小学", "education"), systems: []demoSystem{
			portal("青溪实验小学网站", "办公室", "许静", "www.qxsyxx.edu.cn", "Apache HTTP Server 2.4.29", "PHP 7.1.33"),
		}},
		{key: "qxhospital", parent: "qingxi", org: unit("青溪县人民医院", "health"), systems: []demoSystem{
			{name: "青溪县人民医院HIS系统", dept: "信息科", person: "何平", level: 3, kinds: kindsCity, components: []string{"Oracle WebLogic Server 12.2.1", "Oracle Database 11.2.0.4"}},
			portal("青溪县人民医院网站", "办公室", "吕梅", "www.qxxrmyy.cn", "IIS 7.5"),
		}},
		{key: "qxwater", parent: "qingxi", org: unit("青溪县供排水公司", "water"), systems: []demoSystem{
			{name: "青溪县供水监控系统", dept: "生产技术部", person: "施强", level: 3, kinds: kindsCity, components: []string{"Kingview 6.55", "Windows 7"}, extraPorts: []string{"502", "3389"}},
		}},
		{key: "qxgov", parent: "qingxi", org: unit("青溪县政务服务与数据管理局", "government"), systems: []demoSystem{
			{name: "青溪县政务服务网", dept: "网络科", person: "张帆", level: 3, kinds: kindsPortal, host: "zwfw.qingxi.gov.cn", components: []string{"Nginx 1.16.1", "Spring Boot 2.3.4", "Apache Shiro 1.5.3"}},
			{name: "青溪县大数据共享交换平台", dept: "数据科", person: "孔亮", level: 3, kinds: kindsData, components: []string{"Apache Kafka 2.4.1", "Apache Hadoop 2.7.7"}},
		}},
		{key: "baisha", parent: "city", org: baisha, systems: []demoSystem{
			portal("白沙县人民政府门户网站", "县政务服务中心", "曹宇", "www.baisha.gov.cn", "Nginx 1.18.0", "Apache Tomcat 8.5.51", "Oracle WebLogic Server 12.1.3"),
		}},
		{key: "bsschool", parent: "baisha", org: unit("白沙县第一中学", "education"), systems: []demoSystem{
			portal("白沙一中网站", "信息中心", "严丽", "www.bsyz.net.cn", "Apache HTTP Server 2.4.41", "PHP 7.3.11"),
			{name: "白沙一中智慧校园平台", dept: "信息中心", person: "严丽", level: 2, kinds: []fenghuo.KeyKind{fenghuo.KindImportantData}, components: []string{"Apache Tomcat 9.0.27", "MySQL 8.0.18"}},
		}},
		{key: "bshospital", parent: "baisha", org: unit("白沙县中心医院", "health"), systems: []demoSystem{
			{name: "白沙县中心医院HIS系统", dept: "信息科", person: "华明", level: 3, kinds: kindsCity, components: []string{"JBoss AS 6.1.0", "Microsoft SQL Server 2012"}},
			portal("白沙县中心医院网站", "办公室", "金鑫", "www.bsxzxyy.cn", "IIS 8.5"),
		}},
		{key: "bsbus", parent: "baisha", org: unit("白沙县公共汽车有限公司", "transport"), systems: []demoSystem{
			{name: "白沙公交智能调度平台", dept: "调度室", person: "魏晨", level: 2, kinds: []fenghuo.KeyKind{fenghuo.KindCityOperation}, components: []string{"Apache Tomcat 8.5.31", "OpenSSL 1.0.2u"}},
		}},
		{key: "bsheat", parent: "baisha", org: unit("白沙县热力有限公司", "energy"), systems: []demoSystem{
			{name: "供热管网监控系统", dept: "生产部", person: "陶然", level: 3, kinds: kindsCity, components: []string{"Siemens WinCC 7.3", "Windows Server 2008 R2"}, extraPorts: []string{"102", "3389"}},
		}},
	}
}

type demoUser struct {
	user    fenghuo.User
	org     string
	orgName string
}

func demoUsers() []demoUser {
	u := func(name, display string, role fenghuo.Role, org, orgName string) demoUser {
		return demoUser{user: fenghuo.User{Username: name, DisplayName: display, Roles: []fenghuo.Role{role},
			Email: name + "@demo.fenghuo.local"}, org: org, orgName: orgName}
	}
	return []demoUser{
		u("sysadmin", "系统管理员", fenghuo.RoleSystemAdmin, "city", "云州市委网信办"),
		u("secadmin", "安全管理员", fenghuo.RoleSecurityAdmin, "city", "云州市委网信办"),
		u("auditor", "审计管理员", fenghuo.RoleAuditAdmin, "city", "云州市委网信办"),
		u("commander", "刘指挥", fenghuo.RoleCommander, "city", "云州市委网信办"),
		u("analyst", "马研判", fenghuo.RoleAnalyst, "monitor", "云州市网络安全监测预警中心"),
		u("duty", "林值班", fenghuo.RoleDutyOfficer, "city", "云州市委网信办"),
		u("qx-duty", "宋值班", fenghuo.RoleDutyOfficer, "qingxi", "青溪县委网信办"),
		u("reporter", "朱报送", fenghuo.RoleUnitReporter, "school1", "青溪县第一中学"),
		u("viewer", "只读用户", fenghuo.RoleViewer, "qingxi", "青溪县委网信办"),
		wallDisplay(u("qx-wall", "青溪县大屏", fenghuo.RoleDisplay, "qingxi", "青溪县委网信办")),
	}
}

// wallDisplay binds the demo's wall display account (issue 13 item 2) to
// this machine's loopback, where a newcomer opens the demo.
func wallDisplay(d demoUser) demoUser {
	d.user.AllowedAddresses = []string{"127.0.0.1", "::1"}
	return d
}
