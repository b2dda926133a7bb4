package sessionstore

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// encodeValues turns session values into the JSON kept in the data column,
// and picks out the user id for the user_id column.
func encodeValues(values map[any]any) (data []byte, userID *int64, err error) {
	out := make(map[string]any, len(values))
	for k, v := range values {
		key, ok := k.(string)
		if !ok {
			return nil, nil, fmt.Errorf("session key %v (%T): only string keys are supported", k, k)
		}
		if out[key], err = plain(v); err != nil {
			return nil, nil, fmt.Errorf("session value %q: %w", key, err)
		}
	}
	if v, ok := out[UserIDKey]; ok && v != nil {
		id, ok := v.(int64)
		if !ok {
			return nil, nil, fmt.Errorf("session value %q is a %T, want int64", UserIDKey, values[UserIDKey])
		}
		userID = &id
	}
	data, err = json.Marshal(out)
	return data, userID, err
}

// plain checks that v is a supported value, widening integers to int64.
func plain(v any) (any, error) {
	switch v := v.(type) {
	case nil, string, bool, int64:
		return v, nil
	case int:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case []any:
		list := make([]any, len(v))
		for i, item := range v {
			p, err := plain(item)
			if err != nil {
				return nil, err
			}
			list[i] = p
		}
		return list, nil
	default:
		return nil, fmt.Errorf("type %T is not supported (use string, bool, int64 or []any of those)", v)
	}
}

// decodeValues reads the data column back, numbers as int64.
func decodeValues(data []byte) (map[any]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode session data: %w", err)
	}
	values := make(map[any]any, len(raw))
	for k, v := range raw {
		p, err := fromJSON(v)
		if err != nil {
			return nil, fmt.Errorf("session value %q: %w", k, err)
		}
		values[k] = p
	}
	return values, nil
}

func fromJSON(v any) (any, error) {
	switch v := v.(type) {
	case json.Number:
		return v.Int64()
	case []any:
		for i, item := range v {
			p, err := fromJSON(item)
			if err != nil {
				return nil, err
			}
			v[i] = p
		}
		return v, nil
	case map[string]any:
		return nil, fmt.Errorf("objects are not supported")
	default:
		return v, nil
	}
}
