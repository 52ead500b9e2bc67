//===- TcnnDialect.td - the tcnn dialect definition --------*- tablegen -*-===//
//
// The tcnn dialect models tiny convolutional networks at the level a PyTorch
// user writes them: one op per layer kind, on ranked f32 tensors, with
// kernel/stride/padding as attributes.
//
//===----------------------------------------------------------------------===//

#ifndef TCNN_DIALECT_TD
#define TCNN_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/OpAsmInterface.td"

def Tcnn_Dialect : Dialect {
  let name = "tcnn";
  let cppNamespace = "::mlir::tcnn";
  let summary = "Layers, losses and their backward rules for tiny CNNs";
  let description = [{
    The `tcnn` dialect holds one op per layer kind of a TinyCNN model
    (conv2d, max/avg pooling, relu, flatten, linear, add) and per loss
    (mse_loss, cross_entropy_loss), plus one explicit op per backward rule.
    Programs are `func.func`s whose arguments are the model's inputs,
    targets and parameters; argument attributes (`tcnn.input`,
    `tcnn.target`, `tcnn.param`) name them and link them to the
    `ml_program.global` holding their values, so one module is a complete
    program.
  }];
  let useDefaultAttributePrinterParser = 0;
  let useDefaultTypePrinterParser = 0;
}

/// Base class of every tcnn op. Its result is printed under the name of
/// the layer it belongs to (taken from its NameLoc) plus `suffix`, so IR
/// reads `%conv1 = tcnn.conv2d ...`, `%conv1_dweight = ...`.
class Tcnn_Op<string mnemonic, list<Trait> traits = [], string suffix = "">
    : Op<Tcnn_Dialect, mnemonic, !listconcat(traits,
        [DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>])> {
  let extraClassDefinition = [{
    void $cppClass::getAsmResultNames(
        ::llvm::function_ref<void(::mlir::Value, ::llvm::StringRef)> setName) {
      ::mlir::tcnn::nameResultAfterLayer(getOperation(), "}] # suffix # [{",
                                         setName);
    }
  }];
}

/// Shapes tcnn can compute with: static (no `?`), at most 2^40 elements,
/// so every size derived from them fits in 64 bits.
def Tcnn_AddressableShapePred : CPred<
    "::mlir::tcnn::shapes::isAddressable("
    "::llvm::cast<::mlir::ShapedType>($_self).getShape())">;

class Tcnn_TensorOf<Type element>
    : Type<And<[RankedTensorOf<[element]>.predicate, Tcnn_AddressableShapePred]>,
           "statically shaped tensor of " # element.summary #
           " values with at most 2^40 elements", "::mlir::RankedTensorType">;

/// A tensor of f32: every activation, parameter and gradient.
def Tcnn_Tensor : Tcnn_TensorOf<F32>;
/// A 0-d f32 tensor: a loss value or its upstream gradient.
def Tcnn_Scalar : 0DTensorOf<[F32]>;
/// Class indices for CrossEntropyLoss, as PyTorch's int64.
def Tcnn_IndexTensor : Tcnn_TensorOf<I64>;

/// A pair (h, w) of window sizes, strides or paddings.
def Tcnn_Pair : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<2>]>;
/// A 4-element shape [N, C, H, W] carried by backward ops for checking.
def Tcnn_Shape4 : ConfinedAttr<DenseI64ArrayAttr, [DenseArrayCount<4>]>;

#endif // TCNN_DIALECT_TD
