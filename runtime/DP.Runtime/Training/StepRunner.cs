using DP.Runtime.Models;
using DP.Runtime.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Training;

/// <summary>
/// The device work of one optimizer step: each micro-batch moved to the device, its loss, the loss gate, backward
/// (scaled for gradient accumulation), then gradient clipping and the optimizer step. Nothing here reads a value to
/// the host except what the gate does: the trainer's gate reads each loss (the step's one host synchronisation,
/// docs/devices.md); the meta-device test passes one that reads nothing.
/// </summary>
internal sealed class StepRunner(ITrainableModel model, Device device, OptimizerHelper optimizer, IReadOnlyList<Parameter> trainable,
    int accumulation, double clipNorm)
{
    /// <summary>Whether micro-batch <paramref name="index"/>'s loss joins the step, and its value for the log.</summary>
    public delegate bool LossGate(Tensor loss, int index, out double value);

    /// <summary>Summed host values of the losses the gate let in, how many it let in, and their examples.</summary>
    public (double LossSum, int Used, int Examples) Run(IReadOnlyList<ModelBatch> micro, LossGate gate)
    {
        double lossSum = 0;
        int used = 0, examples = 0;
        using (NewDisposeScope())
        {
            optimizer.zero_grad();
            for (int m = 0; m < micro.Count; m++)
            {
                var batch = micro[m].To(device);
                examples += batch.Size;
                var loss = model.Loss(batch);
                if (!gate(loss, m, out var value)) continue;
                (accumulation == 1 ? loss : loss / accumulation).backward();
                lossSum += value;
                used++;
            }
            if (used > 0)
            {
                if (clipNorm > 0) GradientClipping.ClipNorm(trainable, clipNorm);
                optimizer.step();
            }
        }
        return (lossSum, used, examples);
    }
}
