using DP.Runtime.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.Checkpointing;

/// <summary>
/// Activation (gradient) checkpointing for one block of a backbone: the forward keeps only the block's inputs, and
/// the backward runs the block again to get the activations it needs. Trades about one extra forward of the block
/// for not holding its activations between forward and backward (Hugging Face's gradient_checkpointing).
/// </summary>
public static class ActivationCheckpoint
{
    /// <summary>
    /// Runs <paramref name="block"/> on <paramref name="inputs"/> (null entries allowed: optional inputs) as one
    /// autograd node. Gradients reach the inputs that require them and, through a nested backward, the block's own
    /// parameters. The block must not keep the tensors it is given. Its random draws (dropout) must come from
    /// <paramref name="random"/>: their state is saved before the forward and restored for the re-run, so the re-run draws
    /// the same masks (as torch.utils.checkpoint does with torch's generators), and put back afterwards.
    /// </summary>
    public static Tensor Run(Func<Tensor?[], Tensor> block, DeviceGenerators? random, params Tensor?[] inputs)
    {
        var args = new object?[inputs.Length + 1];
        args[0] = new CheckpointedBlock(block, random, random?.Snapshot());
        Array.Copy(inputs, 0, args, 1, inputs.Length);
        return CheckpointFunction.apply(args!);
    }
}

/// <summary>A block, the generators it draws from and their state when its forward began.</summary>
internal sealed record CheckpointedBlock(Func<Tensor?[], Tensor> Block, DeviceGenerators? Random, IReadOnlyDictionary<string, byte[]>? StateBefore)
{
    /// <summary>Runs the block again drawing what the forward drew, then puts the generators back where they were.</summary>
    public Tensor Replay(Tensor?[] inputs)
    {
        if (Random is null || StateBefore is null) return Block(inputs);
        var now = Random.Snapshot();
        Random.Restore(StateBefore);
        try
        {
            return Block(inputs);
        }
        finally
        {
            Random.Restore(now);
        }
    }
}

/// <summary>The autograd node behind <see cref="ActivationCheckpoint.Run"/>.</summary>
internal sealed class CheckpointFunction : autograd.SingleTensorFunction<CheckpointFunction>
{
    private const string BlockKey = "block", PresentKey = "present";

    public override string Name => "ActivationCheckpoint";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var block = (CheckpointedBlock)vars[0];
        var inputs = vars.Skip(1).Select(v => v as Tensor).ToArray();
        ctx.save_data(BlockKey, block);
        // Which argument positions hold a tensor: save_for_backward keeps only those.
        ctx.save_data(PresentKey, inputs.Select(x => x is not null).ToArray());
        ctx.save_for_backward(inputs.Where(x => x is not null).ToList()!);
        // Grad mode on so the block takes the same code path (kernels) as its re-run in backward. The inputs are
        // detached without requires_grad, so only trainable block weights (fine-tuning) make autograd record here;
        // that graph is dropped with the block's temporaries when the detached output leaves.
        using var scope = NewDisposeScope();
        using var grad = torch.enable_grad();
        return block.Block(inputs.Select(x => x?.detach()).ToArray()).detach().MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope(); // frees the unpacked inputs and the re-run's temporaries
        var block = (CheckpointedBlock)ctx.get_data(BlockKey);
        var present = (bool[])ctx.get_data(PresentKey);
        var saved = new Queue<Tensor>(ctx.get_saved_variables());
        var inputs = present.Select(p => p ? saved.Dequeue() : null).ToArray();
        // Leaves of a graph of their own that keep each input's requires_grad: the nested backward stops at them.
        var detached = inputs.Select(x => x?.detach().requires_grad_(x.requires_grad)).ToArray();
        using (torch.enable_grad())
        {
            var output = block.Replay(detached);
            // Accumulates into the block's parameters' .grad and into the detached inputs' .grad.
            if (output.requires_grad) autograd.backward([output], [gradOutput]);
        }
        var grads = new List<Tensor> { null! }; // the block argument has no gradient
        grads.AddRange(detached.Select(d => d is { requires_grad: true } ? d.grad?.MoveToOuterDisposeScope()! : null!));
        return grads;
    }
}
