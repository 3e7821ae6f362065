// Package analysis is the analysts' area: datasets of indicator values per
// län, tunable composite index models computed by internal/index, and
// published analyses that draw on them.
package analysis

import (
	_ "embed"
	"encoding/csv"
	"strings"
)

// The 21 län (regions.csv, regions_ids.csv from shared/data: official
// codes and names; Kolada ids assumed "00" + code, see SOURCE notes) and a
// generalised display map of them (lan.geojson, MIT, Code for America:
// LAN-LICENSE.txt).
var (
	//go:embed regions.csv
	regionsCSV string
	//go:embed regions_ids.csv
	regionIDsCSV string
	//go:embed lan.geojson
	LanGeoJSON []byte
)

// Region is a län.
type Region struct {
	Code, Name, ShortName string
	KoladaID              string
}

// Regions are the 21 län in code order.
var Regions = loadRegions()

var regionByCode, regionByKolada = map[string]*Region{}, map[string]*Region{}

func loadRegions() []Region {
	rows, err := csv.NewReader(strings.NewReader(regionsCSV)).ReadAll()
	if err != nil {
		panic(err)
	}
	ids, err := csv.NewReader(strings.NewReader(regionIDsCSV)).ReadAll()
	if err != nil {
		panic(err)
	}
	kolada := map[string]string{}
	for _, r := range ids[1:] {
		kolada[r[0]] = r[5]
	}
	out := make([]Region, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, Region{Code: r[0], Name: r[1], ShortName: r[2], KoladaID: kolada[r[0]]})
	}
	for i := range out {
		regionByCode[out[i].Code] = &out[i]
		regionByKolada[out[i].KoladaID] = &out[i]
	}
	return out
}

// RegionByCode returns the län with the two-digit code, or nil.
func RegionByCode(code string) *Region { return regionByCode[code] }

// RegionCodes are the codes of Regions, in order.
func RegionCodes() []string {
	out := make([]string, len(Regions))
	for i, r := range Regions {
		out[i] = r.Code
	}
	return out
}
