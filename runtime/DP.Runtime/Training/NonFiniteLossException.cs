namespace DP.Runtime.Training;

/// <summary>The training loss became NaN or infinite and the run is configured to stop.</summary>
public sealed class NonFiniteLossException(long step, int epoch, int batchIndex, double loss)
    : Exception($"Training loss is {loss} at step {step} (epoch {epoch}, batch {batchIndex}); stopping. " +
                "Lower the learning rate, or set training.on_non_finite_loss: skip to skip such batches.")
{
    public long Step { get; } = step;
    public double Loss { get; } = loss;
}
