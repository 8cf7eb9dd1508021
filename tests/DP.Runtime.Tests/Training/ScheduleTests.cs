using DP.Runtime.Experiments;
using DP.Runtime.Training.Schedules;
using Xunit;

namespace DP.Runtime.Tests.Training;

public class ScheduleTests
{
    [Fact]
    public void WarmupThenConstantOrLinearDecay()
    {
        var constant = new LearningRateSchedule(LrSchedule.Constant, 4, 20);
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0, 1.0], Enumerable.Range(0, 6).Select(t => constant.Factor(t)));
        var linear = new LearningRateSchedule(LrSchedule.Linear, 4, 20);
        Assert.Equal(0.5, linear.Factor(2));
        Assert.Equal(1.0, linear.Factor(4));
        Assert.Equal(0.5, linear.Factor(12));
        Assert.Equal(0.0, linear.Factor(20));
        Assert.Equal(1.0, new LearningRateSchedule(LrSchedule.Linear, 0, 10).Factor(0));
    }
}
