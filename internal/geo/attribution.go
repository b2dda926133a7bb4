package geo

// Attribution is what the Open Government Licence requires the site to display wherever it uses
// this data (for example an "About our data" page), one statement per line. It is copied from
// data/SOURCES.md, which must stay beside the data; a test keeps the two in step.
const Attribution = `Contains OS data © Crown copyright and database right 2025.
Contains Royal Mail data © Royal Mail copyright and database right 2025.
Source: Office for National Statistics licensed under the Open Government Licence v.3.0.
Place names: Contains Ordnance Survey data © Crown copyright and database right 2017 (OS Open Names, via alasdairrae/gb-places).`
