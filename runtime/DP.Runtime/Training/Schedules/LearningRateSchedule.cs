using DP.Runtime.Experiments;

namespace DP.Runtime.Training.Schedules;

/// <summary>
/// Multiplier of each group's base learning rate for optimizer update number <c>t</c> (0-based), as Hugging Face's
/// constant/linear schedules with warm-up: t/warmup during warm-up, then 1 (constant) or a linear decay to 0 at
/// <c>totalSteps</c>. Stateless: the step alone determines it, so resuming needs only the step.
/// </summary>
public sealed record LearningRateSchedule(LrSchedule Kind, int WarmupSteps, int TotalSteps)
{
    public double Factor(long t)
    {
        if (t < WarmupSteps) return (double)t / Math.Max(1, WarmupSteps);
        return Kind switch
        {
            LrSchedule.Constant => 1.0,
            LrSchedule.Linear => Math.Max(0.0, (double)(TotalSteps - t) / Math.Max(1, TotalSteps - WarmupSteps)),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown learning-rate schedule"),
        };
    }
}
