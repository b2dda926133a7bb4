package geo

import "math"

// earthRadiusMiles is the mean Earth radius (IUGG, 6,371.0088 km); the sphere is accurate
// to about 0.5%, far finer than a postcode district centroid.
const earthRadiusMiles = 3958.7613

// DistanceMiles returns the great-circle (haversine) distance between two points in decimal degrees.
func DistanceMiles(lat1, lon1, lat2, lon2 float64) float64 {
	radians := func(degrees float64) float64 { return degrees * math.Pi / 180 }
	dLat := radians(lat2 - lat1)
	dLon := radians(lon2 - lon1)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(radians(lat1))*math.Cos(radians(lat2))*math.Sin(dLon/2)*math.Sin(dLon/2)
	// Rounding can push h a hair past 1 for antipodal points, and Asin would return NaN.
	return 2 * earthRadiusMiles * math.Asin(math.Sqrt(min(h, 1)))
}
