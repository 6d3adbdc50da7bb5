package demo

import (
	"context"
	"fmt"

	"fenghuo/internal/app"
	"fenghuo/internal/auth"
	"fenghuo/internal/fenghuo"
	"fenghuo/internal/store"
)

// ProvinceShape sizes the province the --demo-shape province seeds around
// the city region (issue 16 item 5): a province office, its cities, their
// counties, the departments of each, and units spread over all of them.
type ProvinceShape struct {
	Cities          int // generated cities (云州市 is one more)
	CountiesPerCity int
	CityDepts       int // departments of a city (up to len(provinceDepts))
	CountyDepts     int // departments of a county (up to len(provinceDepts))
	Units           int // generated units, spread over the offices and departments
	SystemsPerUnit  int // up to len(provinceSystems)
	// Incidents is the default history of the shape (--demo-size overrides it).
	Incidents int
}

// Province is the shape of issue 16: 1 + 14 + 140 offices and 140 + 700
// departments (about 1,000 regulators with the city region's), 10,000
// units, 50,000 systems and a million incidents.
var Province = ProvinceShape{Cities: 14, CountiesPerCity: 10, CityDepts: 10, CountyDepts: 5, Units: 10000, SystemsPerUnit: 5, Incidents: 1_000_000}

// ProvinceCounts are what SeedProvince created besides the city region.
type ProvinceCounts struct {
	Offices, Units, Systems int
}

// The place names are made up from these syllables; the province's name
// says it is fictional, like 云州市's.
var (
	provinceCityNames = []string{"青川", "白石", "云岭", "金泽", "丰原", "长林", "安溪", "明阳", "宁水", "清河", "平山", "泰和", "永宁", "兴安",
		"北沙", "南屏", "东岚", "西岩"}
	provinceCountyMarks = []string{"东", "西", "南", "北", "中", "新", "上", "下", "前", "后", "左", "右"}
)

// provinceDepts are the competent departments of a city or county, each
// with the sector of the units it supervises and what those units are.
var provinceDepts = []struct{ name, sector, unit string }{
	{"教育体育局", "education", "第%d中学"},
	{"卫生健康委员会", "health", "第%d医院"},
	{"水利局", "water", "第%d水厂"},
	{"交通运输局", "transport", "第%d公交公司"},
	{"发展和改革委员会", "energy", "第%d热电厂"},
	{"文化广电和旅游局", "broadcast", "第%d融媒体中心"},
	{"财政局", "finance", "第%d农村信用社"},
	{"人力资源和社会保障局", "government", "第%d社保服务中心"},
	{"市场监督管理局", "government", "第%d检验检测所"},
	{"住房和城乡建设局", "government", "第%d燃气公司"},
}

// provinceSystems are the systems of a generated unit, in order.
var provinceSystems = []struct {
	name, dept string
	level      int
	kinds      []fenghuo.KeyKind
	component  string
}{
	{"门户网站", "办公室", 2, []fenghuo.KeyKind{fenghuo.KindPublicInfo}, "Nginx 1.20.1"},
	{"办公自动化系统", "办公室", 2, nil, "Apache Tomcat 8.5.31"},
	{"核心业务系统", "信息中心", 3, []fenghuo.KeyKind{fenghuo.KindImportantData, fenghuo.KindLevel3Plus}, "Oracle WebLogic Server 12.1.3"},
	{"数据中心数据库", "信息中心", 3, []fenghuo.KeyKind{fenghuo.KindImportantData, fenghuo.KindLevel3Plus}, "MySQL 5.7.26"},
	{"视频监控系统", "保卫科", 2, []fenghuo.KeyKind{fenghuo.KindCityOperation}, "Windows Server 2012 R2"},
	{"移动应用后台", "信息中心", 2, []fenghuo.KeyKind{fenghuo.KindPublicInfo}, "Spring Boot 2.3.4"},
}

// ProvinceAccounts are the accounts SeedProvince adds to the city region's:
// the province office's commander (who sees everything) and the duty
// officer of a generated county.
const (
	ProvinceCommander  = "prov-commander"
	ProvinceCountyDuty = "county-duty"
)

// Validate checks a shape's sizes.
func (s ProvinceShape) Validate() error {
	if s.Cities < 1 || s.Cities > len(provinceCityNames) || s.CountiesPerCity < 1 || s.CountiesPerCity > len(provinceCountyMarks) ||
		s.CityDepts < 0 || s.CityDepts > len(provinceDepts) || s.CountyDepts < 0 || s.CountyDepts > len(provinceDepts) ||
		s.Units < 0 || s.SystemsPerUnit < 0 || s.SystemsPerUnit > len(provinceSystems) || s.Incidents < 0 {
		return fenghuo.Errorf(fenghuo.EINVALID, "Province shape %+v is out of range. / 省级演示规模超出范围。", s)
	}
	return nil
}

// SeedProvince fills an empty database with a province: the province
// office (烽原省, fictional) at the root, the city region of SeedDemo under
// it as one of its cities, and shape's generated cities, counties,
// departments, units and systems, each written by the store's own org and
// system writes (paths, sealed contacts, components). It returns the city
// region's accounts and the province's two. The history is seeded
// separately (SeedDemoIncidents spreads it over every unit).
func (a *Service) SeedProvince(ctx context.Context, shape ProvinceShape) ([]DemoAccount, *ProvinceCounts, error) {
	if err := shape.Validate(); err != nil {
		return nil, nil, err
	}
	if err := a.checkEmpty(ctx); err != nil {
		return nil, nil, err
	}
	province := regulator("烽原省委网络安全和信息化委员会办公室", "烽原省委网信办", fenghuo.LevelProvince, "cac-2025", "national-2017")
	province.DutyPhone, province.ReportEmail = "0471-6581960", "cert@fengyuan.gov.cn"
	err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error { return tx.CreateOrg(ctx, &province) })
	if err != nil {
		return nil, nil, fmt.Errorf("demo province: %w", err)
	}
	accounts, err := a.seedDemo(ctx, province.ID)
	if err != nil {
		return nil, nil, err
	}
	counts := &ProvinceCounts{Offices: 1}
	// A placement is where units go: an office or a department, with the
	// sector and kind of unit it has.
	type placement struct {
		parent       int64
		place, unit  string
		sector       string
		units        int
		operatorType fenghuo.OperatorType
	}
	var places []placement
	var county int64 // the county whose duty officer gets an account
	for c := 0; c < shape.Cities; c++ {
		cityName := provinceCityNames[c]
		err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
			office := func(o fenghuo.Org) (int64, error) {
				if err := tx.CreateOrg(ctx, &o); err != nil {
					return 0, fmt.Errorf("demo province org %s: %w", o.Name, err)
				}
				counts.Offices++
				return o.ID, nil
			}
			phone := func(area, n int) string { return fmt.Sprintf("0%d-%d", 470+area, 6581960+n) }
			city := regulator(cityName+"市委网络安全和信息化委员会办公室", cityName+"市委网信办", fenghuo.LevelCity)
			city.ParentID, city.DutyPhone = province.ID, phone(c, 0)
			cityID, err := office(city)
			if err != nil {
				return err
			}
			places = append(places, placement{parent: cityID, place: cityName + "市", unit: "第%d电子政务中心", sector: "government"})
			for d := 0; d < shape.CityDepts; d++ {
				pd := provinceDepts[d]
				id, err := office(fenghuo.Org{Name: cityName + "市" + pd.name, Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator,
					Sector: pd.sector, PlanRoles: []string{"competent_department"}, ParentID: cityID, DutyPhone: phone(c, 100+d)})
				if err != nil {
					return err
				}
				places = append(places, placement{parent: id, place: cityName + "市", unit: pd.unit, sector: pd.sector, operatorType: fenghuo.OperatorCII})
			}
			for k := 0; k < shape.CountiesPerCity; k++ {
				name := cityName + provinceCountyMarks[k] + "县"
				co := regulator(name+"委网络安全和信息化委员会办公室", name+"委网信办", fenghuo.LevelCounty)
				co.ParentID, co.DutyPhone = cityID, phone(c, 200+k*20)
				coID, err := office(co)
				if err != nil {
					return err
				}
				if county == 0 {
					county = coID
				}
				places = append(places, placement{parent: coID, place: name, unit: "第%d政务服务中心", sector: "government"})
				for d := 0; d < shape.CountyDepts; d++ {
					pd := provinceDepts[d]
					id, err := office(fenghuo.Org{Name: name + pd.name, Level: fenghuo.LevelDepartment, Type: fenghuo.OrgRegulator,
						Sector: pd.sector, PlanRoles: []string{"competent_department"}, ParentID: coID, DutyPhone: phone(c, 201+k*20+d)})
					if err != nil {
						return err
					}
					places = append(places, placement{parent: id, place: name, unit: pd.unit, sector: pd.sector})
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	// Units, spread over the placements in turn, in transactions of 500.
	for start := 0; start < shape.Units; start += 500 {
		err := a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
			for i := start; i < min(start+500, shape.Units); i++ {
				p := &places[i%len(places)]
				p.units++
				u := unit(p.place+fmt.Sprintf(p.unit, p.units), p.sector)
				u.ParentID = p.parent
				if p.operatorType != "" && p.units%4 == 1 {
					u.OperatorType = p.operatorType
				}
				u.DutyPhone = fmt.Sprintf("0%d-%d", 470+i%30, 7000000+i)
				if err := tx.CreateOrg(ctx, &u); err != nil {
					return fmt.Errorf("demo province unit %s: %w", u.Name, err)
				}
				counts.Units++
				for j := 0; j < shape.SystemsPerUnit; j++ {
					ps := provinceSystems[j]
					s := fenghuo.System{OrgID: u.ID, Name: u.Name + ps.name, Department: ps.dept, ResponsiblePerson: "系统负责人",
						ResponsiblePhone: fmt.Sprintf("139%08d", i*len(provinceSystems)+j), ProtectionLevel: ps.level, KeyKinds: ps.kinds,
						CII: u.OperatorType == fenghuo.OperatorCII && ps.level >= 3, Status: "active",
						Description: u.Name + ps.name + "，由" + ps.dept + "负责运行维护。"}
					if s.CII {
						s.KeyKinds = append([]fenghuo.KeyKind{fenghuo.KindCII}, s.KeyKinds...)
					}
					name, version := splitComponent(ps.component)
					s.Components = []fenghuo.Component{{Name: name, Version: version}}
					if err := tx.CreateSystem(ctx, &s); err != nil {
						return fmt.Errorf("demo province system %s: %w", s.Name, err)
					}
					counts.Systems++
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	more := []demoUser{
		{user: fenghuo.User{Username: ProvinceCommander, DisplayName: "省指挥", Roles: []fenghuo.Role{fenghuo.RoleCommander},
			Email: ProvinceCommander + "@demo.fenghuo.local"}, orgName: province.ShortName},
		{user: fenghuo.User{Username: ProvinceCountyDuty, DisplayName: "县值班", Roles: []fenghuo.Role{fenghuo.RoleDutyOfficer},
			Email: ProvinceCountyDuty + "@demo.fenghuo.local"}, orgName: provinceCityNames[0] + provinceCountyMarks[0] + "县委网信办"},
	}
	more[0].user.OrgID, more[1].user.OrgID = province.ID, county
	err = a.core.DB().WithTx(ctx, func(tx *store.Tx) error {
		for _, u := range more {
			pw := demoPassword()
			hash, err := auth.HashPassword(pw)
			if err != nil {
				return err
			}
			user := u.user
			user.PasswordHash = hash
			if err := tx.CreateUser(ctx, &user); err != nil {
				return fmt.Errorf("demo user %s: %w", user.Username, err)
			}
			accounts = append(accounts, DemoAccount{Username: user.Username, Password: pw, Role: user.Roles[0], Org: u.orgName})
		}
		return a.core.Record(ctx, tx, app.SystemActor(), "demo.province", "", "", "success", counts)
	})
	if err != nil {
		return nil, nil, err
	}
	return accounts, counts, nil
}
