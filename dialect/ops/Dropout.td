//===- Dropout.td - dropout and its generator --------------*- tablegen -*-===//
//
// nn.Dropout as three ops: the mask (drawn from a counter-based generator,
// so that the interpreter and native code draw the same one), the
// masking itself, and the generator's next state. The layer description
// and reverse rule are in Dropout.cpp beside this file.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_OPS_DROPOUT_TD
#define TCNN_OPS_DROPOUT_TD

include "dialect/TcnnOpBase.td"
include "dialect/StateInterface.td"

def Tcnn_GeneratorState : 0DTensorOf<[I64]>;

def Tcnn_IsDropoutProbability : AttrConstraint<
    CPred<"::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() >= 0.0 "
          "&& ::llvm::cast<::mlir::FloatAttr>($_self).getValueAsDouble() <= 1.0">,
    "between 0 and 1">;

def Tcnn_DropoutMaskOp : Tcnn_Op<"dropout_mask",
    [Pure, DeclareOpInterfaceMethods<Tcnn_GradientOpInterface>]> {
  let summary = "The mask of a dropout layer for one step";
  let description = [{
    `mask[i] = d(state, i) < ceil(p * 2^24) ? 0 : 1 / (1 - p)` (0
    everywhere for p = 1) for the flat row-major index `i` of the result,
    where the draw `d` holds 24 random bits (`d / 2^24` is uniform in
    [0, 1), so an element is dropped with probability p): with
    `z = state + (i + 1) * 0x9E3779B97F4A7C15` (wrapping 64-bit
    arithmetic), z is mixed by splitmix64's finalizer,
    `z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27;
    z *= 0x94D049BB133111EB; z ^= z >> 31` (logical shifts), and
    `d = z >> 40`. The state is the layer's generator, a `tcnn.buffer`
    argument; the mask is a constant for differentiation.

    Example:
    ```mlir
    %mask = tcnn.dropout_mask %state {p = 5.000000e-01 : f64} : tensor<i64> -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Tcnn_GeneratorState:$state,
                   ConfinedAttr<F64Attr, [Tcnn_IsDropoutProbability]>:$p);
  let results = (outs Tcnn_Tensor:$mask);
  let assemblyFormat = "$state attr-dict `:` type($state) `->` type($mask)";
}

def Tcnn_DropoutOp : Tcnn_LayerOp<"dropout", "Dropout",
    [Tcnn_ModeOpInterface, AllTypesMatch<["input", "mask"]>]> {
  let summary = "Randomly zeroes elements in training (nn.Dropout)";
  let description = [{
    In training mode `y = x * mask` with the mask of `tcnn.dropout_mask`
    (0 or 1 / (1 - p) per element); in inference mode `y = x`.

    Example:
    ```mlir
    %drop1 = tcnn.dropout %x, %mask : tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Tcnn_Tensor:$input, Tcnn_Tensor:$mask,
                   Tcnn_TrainingAttr:$training);
  let results = (outs Tcnn_Tensor:$output);
  let assemblyFormat = "$input `,` $mask attr-dict `:` type($input)";
}

def Tcnn_AdvanceGeneratorOp : Tcnn_Op<"advance_generator",
    [Pure, Tcnn_ModeOpInterface,
     DeclareOpInterfaceMethods<Tcnn_StateUpdateOpInterface>,
     AllTypesMatch<["state", "next"]>], "_next"> {
  let summary = "The state of a dropout generator after one training step";
  let description = [{
    `next = state + 1` in training mode (each step draws a fresh mask),
    `next = state` in inference mode. The result is the next value of the
    layer's generator, a `tcnn.buffer` argument.

    Example:
    ```mlir
    %next = tcnn.advance_generator %state : tensor<i64>
    ```
  }];
  let arguments = (ins Tcnn_GeneratorState:$state, Tcnn_TrainingAttr:$training);
  let results = (outs Tcnn_GeneratorState:$next);
  let assemblyFormat = "$state attr-dict `:` type($state)";
}

#endif // TCNN_OPS_DROPOUT_TD
