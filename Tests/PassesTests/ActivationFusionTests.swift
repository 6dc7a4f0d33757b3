import XCTest
import OVIR
@testable import Passes

final class ActivationFusionTests: XCTestCase {
    /// Runs ActivationFusion on `before` (outputs checked through the evaluator against the unfused graph),
    /// checks which rules fired, and compares with x -> `op` named "y" standing for `fused`.
    private func assertFuses(_ before: Graph, into op: any Op, fused: String, rules: [String: Int],
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runChecked(ActivationFusion(), on: before, inputs: modelInputs, tolerance: 1e-5, file: file, line: line)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: result.rewrites.map { ($0.rule, $0.count) }), rules, file: file, line: line)
        let expected = try model { g, x in
            let node = try g.add(op, [x], name: "y")
            node.rtInfo = [fusedNames(fused)]
            return node.output()
        }
        assertSameGraph(before, expected, file: file, line: line)
    }

    /// Runs ActivationFusion on `graph` and checks that nothing changed.
    private func assertUnchanged(_ graph: Graph, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try graph.copy()
        XCTAssertEqual(try runChecked(ActivationFusion(), on: graph, inputs: modelInputs, file: file, line: line),
                       PassResult(changed: false), file: file, line: line)
        assertSameGraph(graph, before, file: file, line: line)
    }

    // MARK: SoftPlus

    /// log(exp(x) + 1) and log(1 + exp(x)) -> SoftPlus(x)
    func testLogOfOnePlusExpBecomesSoftPlus() throws {
        for swapped in [false, true] {
            let g = try model { g, x in
                let e = try g.op(Exp(), x, name: "e"), one = try g.scalar(1, name: "one")
                return try g.op(Log(), g.op(Add(), swapped ? one : e, swapped ? e : one, name: "s"), name: "y")
            }
            try assertFuses(g, into: SoftPlus(), fused: "e,s,y", rules: ["SoftPlus": 1])
        }
    }

    /// log(exp(x) + 2) stays.
    func testLogOfTwoPlusExpStays() throws {
        try assertUnchanged(model { g, x in try g.op(Log(), g.op(Add(), g.op(Exp(), x, name: "e"), g.scalar(2, name: "two"), name: "s"), name: "y") })
    }

    // MARK: Swish

    /// x * sigmoid(x) -> Swish(x)
    func testXTimesSigmoidOfXBecomesSwish() throws {
        let g = try model { g, x in try g.op(Multiply(), g.op(Sigmoid(), x, name: "s"), x, name: "y") }
        try assertFuses(g, into: Swish(), fused: "s,y", rules: ["Swish": 1])
    }

    /// x * sigmoid(y) with y != x stays (y = relu(x) here).
    func testXTimesSigmoidOfAnotherValueStays() throws {
        try assertUnchanged(model { g, x in
            try g.op(Multiply(), x, g.op(Sigmoid(), g.op(Relu(), x, name: "r"), name: "s"), name: "y")
        })
    }

    /// x * sigmoid(x * 1.5) -> Swish(x, 1.5), beta a scalar Const named after the root.
    func testXTimesSigmoidOfBetaXBecomesSwishWithBeta() throws {
        let g = try model { g, x in
            let beta = try g.constant(.f32([1.5], dims: [1]), name: "beta")
            return try g.op(Multiply(), x, g.op(Sigmoid(), g.op(Multiply(), x, beta, name: "bx"), name: "s"), name: "y")
        }
        let result = try runChecked(ActivationFusion(), on: g, inputs: modelInputs, tolerance: 1e-5)
        XCTAssertEqual(result.rewrites, [RuleFiring(rule: "SwishWithBeta", count: 1)])
        let e = try model { g, x in
            let swish = try g.add(Swish(), [x, g.constant(.scalar(f32: 1.5), name: "y/Const")], name: "y")
            swish.rtInfo = [fusedNames("bx,s,y")]
            return swish.output()
        }
        assertSameGraph(g, e)
    }

    // MARK: HardSigmoid

    /// max(min(x * 0.2 + 0.5, 1), 0) and Clamp(x * 0.2 + 0.5, 0, 1) -> HardSigmoid(x, 0.2, 0.5), scalars named after the root
    func testClampedLinearBecomesHardSigmoid() throws {
        let clamps: [(Graph, Output) throws -> Output] = [
            { g, a in try g.op(Maximum(), g.op(Minimum(), a, g.scalar(1, name: "one"), name: "hi"), g.scalar(0, name: "zero"), name: "y") },
            { g, a in try g.op(Clamp(min: 0, max: 1), a, name: "y") },
        ]
        for (clamp, fused) in zip(clamps, ["a,hi,m,y", "a,m,y"]) {
            let g = try model { g, x in
                try clamp(g, g.op(Add(), g.op(Multiply(), x, g.scalar(0.2, name: "alpha"), name: "m"), g.scalar(0.5, name: "beta"), name: "a"))
            }
            let result = try runChecked(ActivationFusion(), on: g, inputs: modelInputs, tolerance: 1e-6)
            XCTAssertEqual(result.rewrites, [RuleFiring(rule: "HardSigmoid", count: 1)])
            let e = try model { g, x in
                let node = try g.add(HardSigmoid(), [x, g.constant(.scalar(f32: 0.2), name: "y/Const"), g.constant(.scalar(f32: 0.5), name: "y/Const_1")], name: "y")
                node.rtInfo = [fusedNames(fused)]
                return node.output()
            }
            assertSameGraph(g, e)
        }
    }

    /// Clamp(x / 6 + 0.5, 0, 1), written with the constant 1/6 -> HardSigmoid(x, 1/6, 0.5) -> HSigmoid(x)
    func testClampedLinearWithTheHSigmoidConstantsBecomesHSigmoid() throws {
        let g = try model { g, x in
            let a = try g.op(Add(), g.op(Multiply(), x, g.scalar(1.0 / 6, name: "alpha"), name: "m"), g.scalar(0.5, name: "beta"), name: "a")
            return try g.op(Clamp(min: 0, max: 1), a, name: "y")
        }
        try assertFuses(g, into: HSigmoid(), fused: "a,m,y", rules: ["HardSigmoid": 1, "HSigmoidFromHardSigmoid": 1])
    }

    /// Clamp(x * 0.2 + 0.5, 0, 2) stays (not clamped to [0, 1]).
    func testLinearClampedToOtherBoundsStays() throws {
        try assertUnchanged(model { g, x in
            let a = try g.op(Add(), g.op(Multiply(), x, g.scalar(0.2, name: "alpha"), name: "m"), g.scalar(0.5, name: "beta"), name: "a")
            return try g.op(Clamp(min: 0, max: 2), a, name: "y")
        })
    }

    // MARK: HSigmoid

    /// HardSigmoid(x, alpha 1/6, beta 0.5), as torch exports hardsigmoid -> HSigmoid(x)
    func testHardSigmoidWithTheHardSigmoidConstantsBecomesHSigmoid() throws {
        let g = try model { g, x in try g.op(HardSigmoid(), x, g.scalar(1.0 / 6, name: "alpha"), g.scalar(0.5, name: "beta"), name: "y") }
        try assertFuses(g, into: HSigmoid(), fused: "y", rules: ["HSigmoidFromHardSigmoid": 1])
    }

    /// HardSigmoid(x, 0.2, 0.5) (ONNX's default alpha) stays.
    func testHardSigmoidWithOtherConstantsStays() throws {
        try assertUnchanged(model { g, x in try g.op(HardSigmoid(), x, g.scalar(0.2, name: "alpha"), g.scalar(0.5, name: "beta"), name: "y") })
    }

    /// relu6(x + 3) / 6 -> HSigmoid(x), relu6 as Clamp(0, 6)
    func testClampOfXPlus3Over6BecomesHSigmoid() throws {
        let g = try model { g, x in
            let clamp = try g.op(Clamp(min: 0, max: 6), g.op(Add(), x, g.scalar(3, name: "three"), name: "a"), name: "c")
            return try g.op(Divide(), clamp, g.scalar(6, name: "six"), name: "y")
        }
        try assertFuses(g, into: HSigmoid(), fused: "a,c,y", rules: ["HSigmoid": 1])
    }

    /// min(max(3 + x, 0), 6) * (1/6) -> HSigmoid(x)
    func testMinMaxOfXPlus3TimesASixthBecomesHSigmoid() throws {
        let g = try model { g, x in
            let sum = try g.op(Add(), g.scalar(3, name: "three"), x, name: "a")
            let low = try g.op(Maximum(), sum, g.scalar(0, name: "zero"), name: "lo")
            let high = try g.op(Minimum(), g.scalar(6, name: "six"), low, name: "hi")
            return try g.op(Multiply(), high, g.scalar(1.0 / 6, name: "sixth"), name: "y")
        }
        try assertFuses(g, into: HSigmoid(), fused: "a,hi,lo,y", rules: ["HSigmoid": 1])
    }

    /// min(relu(x + 3), 6) / 6 -> HSigmoid(x)
    func testMinOfReluOfXPlus3Over6BecomesHSigmoid() throws {
        let g = try model { g, x in
            let relu = try g.op(Relu(), g.op(Add(), x, g.scalar(3, name: "three"), name: "a"), name: "r")
            return try g.op(Divide(), g.op(Minimum(), relu, g.scalar(6, name: "six"), name: "hi"), g.scalar(6, name: "six2"), name: "y")
        }
        try assertFuses(g, into: HSigmoid(), fused: "a,hi,r,y", rules: ["HSigmoid": 1])
    }

    /// Clamp(x + 3, 0, 5) / 6 and clamp(x + 3, 0, 6) / 5 stay.
    func testHSigmoidWithOtherConstantsStays() throws {
        for (max, divisor) in [(5.0, Float(6)), (6, 5)] {
            try assertUnchanged(model { g, x in
                let clamp = try g.op(Clamp(min: 0, max: max), g.op(Add(), x, g.scalar(3, name: "three"), name: "a"), name: "c")
                return try g.op(Divide(), clamp, g.scalar(divisor, name: "d"), name: "y")
            })
        }
    }

    // MARK: HSwish

    /// x * (relu6(x + 3) / 6): the inner part becomes HSigmoid, then x * HSigmoid(x) -> HSwish(x)
    func testXTimesHardSigmoidOfXBecomesHSwish() throws {
        let g = try model { g, x in
            let clamp = try g.op(Clamp(min: 0, max: 6), g.op(Add(), x, g.scalar(3, name: "three"), name: "a"), name: "c")
            return try g.op(Multiply(), x, g.op(Divide(), clamp, g.scalar(6, name: "six"), name: "d"), name: "y")
        }
        try assertFuses(g, into: HSwish(), fused: "a,c,d,y", rules: ["HSigmoid": 1, "HSwishFromHSigmoid": 1])
    }

    /// x * HardSigmoid(x, 1/6, 0.5), as torch < 1.x exported hardswish -> HSwish(x)
    func testXTimesTorchHardSigmoidBecomesHSwish() throws {
        let g = try model { g, x in
            try g.op(Multiply(), x, g.op(HardSigmoid(), x, g.scalar(1.0 / 6, name: "alpha"), g.scalar(0.5, name: "beta"), name: "h"), name: "y")
        }
        try assertFuses(g, into: HSwish(), fused: "h,y", rules: ["HSigmoidFromHardSigmoid": 1, "HSwishFromHSigmoid": 1])
    }

    /// x * relu6(x + 3) / 6 -> HSwish(x), the division outermost
    func testXTimesClampOver6BecomesHSwish() throws {
        let g = try model { g, x in
            let clamp = try g.op(Clamp(min: 0, max: 6), g.op(Add(), x, g.scalar(3, name: "three"), name: "a"), name: "c")
            return try g.op(Divide(), g.op(Multiply(), x, clamp, name: "m"), g.scalar(6, name: "six"), name: "y")
        }
        try assertFuses(g, into: HSwish(), fused: "a,c,m,y", rules: ["HSwish": 1])
    }

    /// (min(max(x + 3, 0), 6) * x) * (1/6) -> HSwish(x)
    func testMinMaxTimesXTimesASixthBecomesHSwish() throws {
        let g = try model { g, x in
            let sum = try g.op(Add(), x, g.scalar(3, name: "three"), name: "a")
            let high = try g.op(Minimum(), g.op(Maximum(), sum, g.scalar(0, name: "zero"), name: "lo"), g.scalar(6, name: "six"), name: "hi")
            return try g.op(Multiply(), g.op(Multiply(), high, x, name: "m"), g.scalar(1.0 / 6, name: "sixth"), name: "y")
        }
        try assertFuses(g, into: HSwish(), fused: "a,hi,lo,m,y", rules: ["HSwish": 1])
    }

    /// x * relu6(y + 3) / 6 with y = relu(x) stays: HSwish needs the same value in both places.
    func testHSwishOfTwoDifferentValuesStays() throws {
        try assertUnchanged(model { g, x in
            let y = try g.op(Relu(), x, name: "r")
            let clamp = try g.op(Clamp(min: 0, max: 6), g.op(Add(), y, g.scalar(3, name: "three"), name: "a"), name: "c")
            return try g.op(Divide(), g.op(Multiply(), x, clamp, name: "m"), g.scalar(6, name: "six"), name: "y")
        })
    }

    // MARK: Mish

    /// x * tanh(softplus(x)) -> Mish(x)
    func testXTimesTanhOfSoftPlusBecomesMish() throws {
        let g = try model { g, x in try g.op(Multiply(), x, g.op(Tanh(), g.op(SoftPlus(), x, name: "sp"), name: "t"), name: "y") }
        try assertFuses(g, into: Mish(), fused: "sp,t,y", rules: ["Mish": 1])
    }

    /// x * tanh(log(1 + exp(x))): SoftPlus first, then Mish in the same sweep
    func testMishWithSoftPlusSpelledOut() throws {
        let g = try model { g, x in
            let e = try g.op(Exp(), x, name: "e")
            let sp = try g.op(Log(), g.op(Add(), e, g.scalar(1, name: "one"), name: "s"), name: "l")
            return try g.op(Multiply(), g.op(Tanh(), sp, name: "t"), x, name: "y")
        }
        try assertFuses(g, into: Mish(), fused: "e,l,s,t,y", rules: ["SoftPlus": 1, "Mish": 1])
    }

    /// x * tanh(softplus(relu(x))) stays.
    func testMishOfTwoDifferentValuesStays() throws {
        try assertUnchanged(model { g, x in
            try g.op(Multiply(), x, g.op(Tanh(), g.op(SoftPlus(), g.op(Relu(), x, name: "r"), name: "sp"), name: "t"), name: "y")
        })
    }

    // MARK: GELU

    /// 1 + erf(x / sqrt(2)) (or x * (1/sqrt(2)) when `multiply`), its nodes named d, erf, p.
    private func erfPart(_ g: Graph, _ x: Output, multiply: Bool = false) throws -> Output {
        let scaled = multiply ? try g.op(Multiply(), x, g.scalar(Float(1 / 2.0.squareRoot()), name: "rsqrt2"), name: "d")
                              : try g.op(Divide(), x, g.scalar(Float(2.0.squareRoot()), name: "sqrt2"), name: "d")
        return try g.op(Add(), g.op(Erf(), scaled, name: "erf"), g.scalar(1, name: "one"), name: "p")
    }

    /// (x * (1 + erf(x / sqrt(2)))) * 0.5 (torch's export) -> Gelu(x, ERF)
    func testErfGeluAsTorchExportsItBecomesGelu() throws {
        let g = try model { g, x in try g.op(Multiply(), g.op(Multiply(), x, erfPart(g, x), name: "m"), g.scalar(0.5, name: "half"), name: "y") }
        try assertFuses(g, into: Gelu(approximationMode: .erf), fused: "d,erf,m,p,y", rules: ["GeluErf": 1])
    }

    /// (0.5 * x) * (1 + erf(x * (1/sqrt(2)))), x * ((1 + erf(x / sqrt(2))) * 0.5) and (x * (1 + erf(..))) / 2
    /// -> Gelu(x, ERF)
    func testErfGeluInItsOtherArrangementsBecomesGelu() throws {
        let arrangements: [(Graph, Output) throws -> Output] = [
            { g, x in try g.op(Multiply(), g.op(Multiply(), g.scalar(0.5, name: "half"), x, name: "m"), self.erfPart(g, x, multiply: true), name: "y") },
            { g, x in try g.op(Multiply(), x, g.op(Multiply(), self.erfPart(g, x), g.scalar(0.5, name: "half"), name: "m"), name: "y") },
            { g, x in try g.op(Divide(), g.op(Multiply(), self.erfPart(g, x), x, name: "m"), g.scalar(2, name: "two"), name: "y") },
        ]
        for build in arrangements {
            try assertFuses(model(build), into: Gelu(approximationMode: .erf), fused: "d,erf,m,p,y", rules: ["GeluErf": 1])
        }
    }

    /// 0.5 * x * (1 + erf(x / 2)) stays (the divisor is not sqrt(2)).
    func testErfGeluWithAnotherDivisorStays() throws {
        try assertUnchanged(model { g, x in
            let part = try g.op(Add(), g.op(Erf(), g.op(Divide(), x, g.scalar(2, name: "two"), name: "d"), name: "erf"), g.scalar(1, name: "one"), name: "p")
            return try g.op(Multiply(), g.op(Multiply(), x, part, name: "m"), g.scalar(0.5, name: "half"), name: "y")
        })
    }

    /// 1 + tanh(sqrt(2/pi) * (x + 0.044715 * cube)), its nodes named i, k, s, t, p.
    private func tanhPart(_ g: Graph, _ x: Output, cube: Output) throws -> Output {
        let inner = try g.op(Add(), x, g.op(Multiply(), g.scalar(0.044715, name: "c"), cube, name: "k"), name: "i")
        let scaled = try g.op(Multiply(), inner, g.scalar(Float((2 / Double.pi).squareRoot()), name: "sqrt2pi"), name: "s")
        return try g.op(Add(), g.scalar(1, name: "one"), g.op(Tanh(), scaled, name: "t"), name: "p")
    }

    /// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * pow(x, 3)))) (GPT-2's gelu_new) -> Gelu(x, TANH)
    func testTanhGeluWithPowerBecomesGelu() throws {
        let g = try model { g, x in
            let cube = try g.op(Power(), x, g.scalar(3, name: "three"), name: "cube")
            return try g.op(Multiply(), g.op(Multiply(), g.scalar(0.5, name: "half"), x, name: "m"), tanhPart(g, x, cube: cube), name: "y")
        }
        try assertFuses(g, into: Gelu(approximationMode: .tanh), fused: "cube,i,k,m,p,s,t,y", rules: ["GeluTanh": 1])
    }

    /// The same with x^3 as x * x * x and the 0.5 outermost -> Gelu(x, TANH)
    func testTanhGeluWithACubeOfMultipliesBecomesGelu() throws {
        let g = try model { g, x in
            let cube = try g.op(Multiply(), g.op(Multiply(), x, x, name: "sq"), x, name: "cube")
            return try g.op(Multiply(), g.op(Multiply(), x, tanhPart(g, x, cube: cube), name: "m"), g.scalar(0.5, name: "half"), name: "y")
        }
        try assertFuses(g, into: Gelu(approximationMode: .tanh), fused: "cube,i,k,m,p,s,sq,t,y", rules: ["GeluTanh": 1])
    }

    /// The tanh form with x^2 instead of x^3 stays.
    func testTanhGeluWithASquareStays() throws {
        try assertUnchanged(model { g, x in
            let square = try g.op(Multiply(), x, x, name: "sq")
            return try g.op(Multiply(), g.op(Multiply(), x, tanhPart(g, x, cube: square), name: "m"), g.scalar(0.5, name: "half"), name: "y")
        })
    }
}
