"""Tests of Tools/verify/node_coverage.py: the reason rules and the document, on hand-made logs and node cases."""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

import onnx
from onnx import TensorProto, helper

import node_coverage as coverage


def write_case(cache: Path, name: str, ops: list[str]) -> None:
    """A node case folder holding a model whose nodes are `ops`, chained on one float input."""
    nodes, last = [], "x"
    for k, op in enumerate(ops):
        nodes.append(helper.make_node(op, [last], [f"y{k}"]))
        last = f"y{k}"
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
                              [helper.make_tensor_value_info(last, TensorProto.FLOAT, [2])])
    (cache / name).mkdir(parents=True)
    onnx.save(helper.make_model(graph), str(cache / name / "model.onnx"))


class ClassifyTests(unittest.TestCase):
    def test_the_rules(self):
        results = {
            "test_a": ("convert-error", "ovconvert: error: m: 1 node uses 1 unsupported operator: ai.onnx::Frob@17 ×1 (first: node 'y')"),
            "test_b": ("convert-error", "ovconvert: error: m: graph input 'x' has element type INT2, which OpenVINO does not support"),
            "test_c": ("skip", "skip: sequence-typed input 's' (the OpenVINO Python API cannot feed it)"),
            "test_d": ("fail", "output 0: 2 of 4 values differ (max abs err 1, max rel err 0.5)"),
            "test_d_expanded": ("fail", "output 0: 2 of 4 values differ (max abs err 1.5, max rel err 0.7)"),
            "test_e": ("fail", "output 0: 1 of 4 values differ (max abs err 3, max rel err 1)"),
        }
        evaluator = {"test_d": ("pass", ""), "test_e": ("fail", "same")}
        c = lambda case: coverage.classify(case, *results[case], results, evaluator, {})  # noqa: E731
        self.assertEqual(c("test_a"), ("not yet done", "ai.onnx::Frob is not translated yet"))
        self.assertEqual(c("test_b")[0], "not expressible")
        self.assertEqual(c("test_c"), ("not expressible", "sequence-typed input 's' (the OpenVINO Python API cannot feed it)"))
        self.assertEqual(c("test_d")[0], "OpenVINO runtime", "fails like ONNX's own expanded form, passes in the evaluator")
        self.assertIsNone(c("test_e"), "fails in the evaluator too, with no expanded twin: no rule fits")
        hand = {"test_e": ("not yet done", "why")}
        self.assertEqual(coverage.classify("test_e", *results["test_e"], results, evaluator, hand), ("not yet done", "why"))


class RenderTests(unittest.TestCase):
    def test_cases_are_filed_under_their_op_and_an_unexplained_failure_is_reported(self):
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp)
            write_case(cache, "test_relu", ["Relu"])
            write_case(cache, "test_relu_expanded", ["Abs", "Neg"])
            write_case(cache, "test_tanh", ["Tanh"])
            results = {"test_relu": ("pass", ""), "test_relu_expanded": ("pass", ""),
                       "test_tanh": ("fail", "output 0: 1 of 2 values differ (max abs err 1, max rel err 1)")}
            text, unexplained = coverage.render(results, "cpu", None, {"test_tanh": ("pass", "")}, {}, cache)
            self.assertIn("| Relu | 2 | 2 |", text, "the expanded case counts under the op it expands")
            self.assertEqual(unexplained, ["test_tanh\tfail\toutput 0: 1 of 2 values differ (max abs err 1, max rel err 1)"])
            self.assertIn("- `test_tanh`: unexplained", text.split("OpenVINO's own ONNX frontend passes and ovconvert does not")[1])


if __name__ == "__main__":
    unittest.main()
