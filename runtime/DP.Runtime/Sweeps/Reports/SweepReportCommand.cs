using DP.Runtime.Experiments;

namespace DP.Runtime.Sweeps.Reports;

/// <summary><c>sweep report</c>: writes report.md, report.csv, report.json and report.png in the sweep folder.</summary>
public static class SweepReportCommand
{
    public static int Run(SweepContext context, string? baseline, string? metric, string? split = null)
    {
        var report = SweepReport.Build(context, baseline, metric, split ?? SweepReport.ValidationSplit);
        Directory.CreateDirectory(context.Folder.Root);
        var markdown = SweepReportWriter.Markdown(report);
        File.WriteAllText(context.Folder.ReportPath("md"), markdown);
        SweepReportWriter.Csv(report, context.Folder.ReportPath("csv"));
        report.WriteJson(context.Folder.ReportPath("json"));
        if (report.Rows.Count > 0) SweepReportWriter.Chart(report, context.Folder.ReportPath("png"));
        Console.Write(markdown);
        Console.WriteLine($"\nwrote {context.Folder.ReportPath("md")} (and .csv, .json{(report.Rows.Count > 0 ? ", .png" : "")})");
        return report.Rows.Count > 0 ? ExperimentCli.Ok : ExperimentCli.Failed;
    }
}
