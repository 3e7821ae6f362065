package analysis

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// WriteCSV writes d in the long format Import reads back
// (region_code,indicator,year,value,unit), with the region names beside.
func WriteCSV(w io.Writer, d *Dataset) error {
	cw := csv.NewWriter(w)
	units := map[string]string{}
	for _, i := range d.Indicators {
		units[i.Name] = i.Unit
	}
	_ = cw.Write([]string{"region_code", "region_name", "indicator", "year", "value", "unit"})
	for _, v := range d.Values {
		name := ""
		if r := RegionByCode(v.Region); r != nil {
			name = r.Name
		}
		_ = cw.Write([]string{v.Region, name, v.Indicator, strconv.Itoa(v.Year), strconv.FormatFloat(v.Value, 'g', -1, 64), units[v.Indicator]})
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes d as an Excel workbook: the values (long, as WriteCSV)
// on one sheet, and where they come from on another.
func WriteXLSX(w io.Writer, d *Dataset, about [][2]string) error {
	f := excelize.NewFile()
	defer f.Close()
	const data = "Data"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return err
	}
	units := map[string]string{}
	for _, i := range d.Indicators {
		units[i.Name] = i.Unit
	}
	sw, err := f.NewStreamWriter(data)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"region_code", "region_name", "indicator", "year", "value", "unit"}); err != nil {
		return err
	}
	for i, v := range d.Values {
		name := ""
		if r := RegionByCode(v.Region); r != nil {
			name = r.Name
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{v.Region, name, v.Indicator, v.Year, v.Value, units[v.Indicator]}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	const aboutSheet = "Om"
	if _, err := f.NewSheet(aboutSheet); err != nil {
		return err
	}
	for i, kv := range about {
		_ = f.SetCellValue(aboutSheet, "A"+strconv.Itoa(i+1), kv[0])
		_ = f.SetCellValue(aboutSheet, "B"+strconv.Itoa(i+1), kv[1])
	}
	_, err = f.WriteTo(w)
	return err
}
