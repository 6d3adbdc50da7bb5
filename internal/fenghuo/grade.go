package fenghuo

import "fmt"

// Grade is the level of a cybersecurity incident. I is the most severe
// (特别重大), IV the least (一般).
type Grade string

const (
	GradeI   Grade = "I"
	GradeII  Grade = "II"
	GradeIII Grade = "III"
	GradeIV  Grade = "IV"
)

// Grades lists the grades from most to least severe.
var Grades = []Grade{GradeI, GradeII, GradeIII, GradeIV}

// Severity orders grades: I is 4, IV is 1, an unknown grade 0.
func (g Grade) Severity() int {
	switch g {
	case GradeI:
		return 4
	case GradeII:
		return 3
	case GradeIII:
		return 2
	case GradeIV:
		return 1
	}
	return 0
}

// Valid reports whether g is one of the four grades.
func (g Grade) Valid() bool { return g.Severity() > 0 }

// AtLeast reports whether g is as severe as other or more.
func (g Grade) AtLeast(other Grade) bool { return g.Severity() >= other.Severity() }

// NameZH is the grade's name in the plans' own words.
func (g Grade) NameZH() string {
	switch g {
	case GradeI:
		return "特别重大（Ⅰ级）"
	case GradeII:
		return "重大（Ⅱ级）"
	case GradeIII:
		return "较大（Ⅲ级）"
	case GradeIV:
		return "一般（Ⅳ级）"
	}
	return string(g)
}

// Numeral is the grade written with its Roman numeral character, as
// Chinese text writes it before 级 ("Ⅱ级"); an unknown grade as it is.
func (g Grade) Numeral() string {
	switch g {
	case GradeI:
		return "Ⅰ"
	case GradeII:
		return "Ⅱ"
	case GradeIII:
		return "Ⅲ"
	case GradeIV:
		return "Ⅳ"
	}
	return string(g)
}

// NameEN is the grade's English name.
func (g Grade) NameEN() string {
	switch g {
	case GradeI:
		return "especially major (I)"
	case GradeII:
		return "major (II)"
	case GradeIII:
		return "relatively major (III)"
	case GradeIV:
		return "general (IV)"
	}
	return string(g)
}

// ParseGrade accepts I–IV, also written with Roman numeral characters
// (Ⅰ Ⅱ Ⅲ Ⅳ) or as 1–4.
func ParseGrade(s string) (Grade, error) {
	switch s {
	case "I", "Ⅰ", "1":
		return GradeI, nil
	case "II", "Ⅱ", "2":
		return GradeII, nil
	case "III", "Ⅲ", "3":
		return GradeIII, nil
	case "IV", "Ⅳ", "4":
		return GradeIV, nil
	}
	return "", Errorf(EINVALID, "%q is not a grade: use I, II, III or IV", s)
}

// Color is a warning colour (预警级别).
type Color string

const (
	ColorRed    Color = "red"
	ColorOrange Color = "orange"
	ColorYellow Color = "yellow"
	ColorBlue   Color = "blue"
)

// Colors lists the warning colours from most to least severe.
var Colors = []Color{ColorRed, ColorOrange, ColorYellow, ColorBlue}

// Severity orders colours: red is 4, blue 1, an unknown colour 0.
func (c Color) Severity() int {
	switch c {
	case ColorRed:
		return 4
	case ColorOrange:
		return 3
	case ColorYellow:
		return 2
	case ColorBlue:
		return 1
	}
	return 0
}

// Valid reports whether c is one of the four colours.
func (c Color) Valid() bool { return c.Severity() > 0 }

// NameZH is the colour's Chinese name.
func (c Color) NameZH() string {
	switch c {
	case ColorRed:
		return "红色"
	case ColorOrange:
		return "橙色"
	case ColorYellow:
		return "黄色"
	case ColorBlue:
		return "蓝色"
	}
	return string(c)
}

// ParseColor accepts the English or Chinese colour name.
func ParseColor(s string) (Color, error) {
	switch s {
	case "red", "红", "红色":
		return ColorRed, nil
	case "orange", "橙", "橙色":
		return ColorOrange, nil
	case "yellow", "黄", "黄色":
		return ColorYellow, nil
	case "blue", "蓝", "蓝色":
		return ColorBlue, nil
	}
	return "", Errorf(EINVALID, "%q is not a warning colour: use red, orange, yellow or blue", s)
}

// OrgLevel is a level of the administrative tree.
type OrgLevel string

const (
	LevelNational   OrgLevel = "national"
	LevelProvince   OrgLevel = "province"
	LevelCity       OrgLevel = "city"
	LevelCounty     OrgLevel = "county"
	LevelDepartment OrgLevel = "department"
	LevelUnit       OrgLevel = "unit"
)

// OrgLevels lists the levels from the top of the tree down.
var OrgLevels = []OrgLevel{LevelNational, LevelProvince, LevelCity, LevelCounty, LevelDepartment, LevelUnit}

// Rank orders levels: national is highest (6), unit lowest (1), unknown 0.
func (l OrgLevel) Rank() int {
	for i, v := range OrgLevels {
		if v == l {
			return len(OrgLevels) - i
		}
	}
	return 0
}

// Valid reports whether l is a known level.
func (l OrgLevel) Valid() bool { return l.Rank() > 0 }

func (l OrgLevel) String() string { return string(l) }

var _ fmt.Stringer = OrgLevel("")
