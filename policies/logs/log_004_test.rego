package jalon.controls.log_004_test

import rego.v1

import data.jalon.controls.log_004 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_json_info_passes if {
	f := t.function("orders", {})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_text_format_fails if {
	f := t.function("orders", {"logging": {"log_format": "Text", "application_log_level": null}})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "log format is Text, not JSON")
	t.deny_within_scope(r)
}

test_no_logging_config_fails if {
	f := t.function("orders", {"logging": null})
	t.fails_with(run(snap([f])), f.arn, "Text, not JSON")
}

test_debug_level_fails if {
	f := t.function("orders", {"logging": {"application_log_level": "DEBUG"}})
	t.fails_with(run(snap([f])), f.arn, "application log level is DEBUG, below INFO")
}

test_json_without_level_defaults_to_info if {
	f := t.function("orders", {"logging": {"application_log_level": null}})
	t.passes(run(snap([f])), f.arn)
}

test_levels_at_or_above_minimum_pass if {
	every level in ["INFO", "WARN", "ERROR", "FATAL"] {
		f := t.function("orders", {"logging": {"application_log_level": level}})
		t.passes(run(snap([f])), f.arn)
	}
}

test_min_level_from_config if {
	f := t.function("orders", {"logging": {"application_log_level": "INFO"}})
	cfg := t.config_with({"thresholds": {"min_log_level": "WARN"}})
	t.fails_with(run_cfg(snap([f]), cfg), f.arn, "below WARN")
	dbg := t.config_with({"thresholds": {"min_log_level": "DEBUG"}})
	g := t.function("orders", {"logging": {"application_log_level": "DEBUG"}})
	t.passes(run_cfg(snap([g]), dbg), g.arn)
}
