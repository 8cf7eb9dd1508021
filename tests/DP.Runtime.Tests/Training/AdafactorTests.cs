using DP.Runtime.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Training;

public class AdafactorTests
{
    private const double Lr = 0.1, Eps1 = 1e-30;

    [Fact]
    public void TwoStepsMatchHandComputedValues()
    {
        double[,] w0 = { { 0.5, -1.0, 2.0 }, { 0.25, 0.0, -0.75 } };
        double[] b0 = { 0.1, -0.2, 0.3 };
        double[][,] gw = [new double[,] { { 0.3, -0.6, 0.9 }, { -1.2, 0.15, 0.45 } }, new double[,] { { -0.2, 0.4, 0.1 }, { 0.7, -0.3, 0.05 } }];
        double[][] gb = [[0.5, -2.0, 0.01], [-0.3, 0.2, 1.5]];

        using var w = new Parameter(tensor(Flat(w0), [2, 3], ScalarType.Float32));
        using var b = new Parameter(tensor(b0.Select(x => (float)x).ToArray(), [3]));
        using var opt = new Adafactor([w, b], Lr);

        // Hand computation in doubles.
        var ew = (double[,])w0.Clone();
        var eb = (double[])b0.Clone();
        var row = new double[2];
        var col = new double[3];
        var full = new double[3];
        for (int t = 1; t <= 2; t++)
        {
            opt.zero_grad();
            using (var gwt = tensor(Flat(gw[t - 1]), [2, 3]))
            using (var gbt = tensor(gb[t - 1].Select(x => (float)x).ToArray(), [3]))
            using (var loss = (w * gwt).sum() + (b * gbt).sum())
                loss.backward();
            opt.step();

            double beta2t = 1 - Math.Pow(t, -0.8);
            var g = gw[t - 1];
            for (int i = 0; i < 2; i++)
                row[i] = beta2t * row[i] + (1 - beta2t) * Enumerable.Range(0, 3).Average(j => g[i, j] * g[i, j] + Eps1);
            for (int j = 0; j < 3; j++)
                col[j] = beta2t * col[j] + (1 - beta2t) * Enumerable.Range(0, 2).Average(i => g[i, j] * g[i, j] + Eps1);
            double rowMean = row.Average();
            var u = new double[2, 3];
            double sumSq = 0;
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                {
                    u[i, j] = g[i, j] / Math.Sqrt(row[i] / rowMean) / Math.Sqrt(col[j]);
                    sumSq += u[i, j] * u[i, j];
                }
            double div = Math.Max(1.0, Math.Sqrt(sumSq / 6) / 1.0);
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                    ew[i, j] -= Lr * u[i, j] / div;

            var gv = gb[t - 1];
            var ub = new double[3];
            for (int j = 0; j < 3; j++)
            {
                full[j] = beta2t * full[j] + (1 - beta2t) * (gv[j] * gv[j] + Eps1);
                ub[j] = gv[j] / Math.Sqrt(full[j]);
            }
            double divb = Math.Max(1.0, Math.Sqrt(ub.Average(x => x * x)));
            for (int j = 0; j < 3; j++) eb[j] -= Lr * ub[j] / divb;

            var actualW = w.detach().data<float>().ToArray();
            var actualB = b.detach().data<float>().ToArray();
            for (int k = 0; k < 6; k++) Assert.Equal(ew[k / 3, k % 3], actualW[k], 5);
            for (int j = 0; j < 3; j++) Assert.Equal(eb[j], actualB[j], 5);
        }
    }

    [Fact]
    public void StateSurvivesSaveAndLoad()
    {
        using var w = new Parameter(rand(4, 3, generator: new Generator(1)));
        using var v = new Parameter(rand(5, generator: new Generator(2)));
        using var opt = new Adafactor([w, v], 0.05);
        for (int i = 0; i < 3; i++)
        {
            opt.zero_grad();
            using var loss = w.square().sum() + v.pow(3).sum();
            loss.backward();
            opt.step();
        }
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) opt.save_state_dict(writer);

        using var w2 = new Parameter(zeros(4, 3));
        using var v2 = new Parameter(zeros(5));
        using var opt2 = new Adafactor([w2, v2], 0.05);
        var saved = stream.ToArray();
        using (var reader = new BinaryReader(new MemoryStream(saved))) opt2.load_state_dict(reader);
        var s1 = opt.state_dict();
        var s2 = opt2.state_dict();
        Assert.Equal(s1.State.Count, s2.State.Count);
        for (int i = 0; i < s1.State.Count; i++) Assert.True(s1.State[i].ApproximatelyEquals(s2.State[i]), $"state {i} differs after load");

        // A state saved for other shapes cannot load.
        using var wrong = new Parameter(zeros(3, 4));
        using var v3 = new Parameter(zeros(5));
        using var opt3 = new Adafactor([wrong, v3], 0.05);
        Assert.ThrowsAny<Exception>(() => { using var r = new BinaryReader(new MemoryStream(saved)); opt3.load_state_dict(r); });
    }

    private static float[] Flat(double[,] a) => a.Cast<double>().Select(x => (float)x).ToArray();
}
