using LiteRestore.Api;
using LiteRestore.Api.Telemetry;
using LiteRestore.Inference;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRestorationEngine();
builder.Services.AddRestorationApi();
builder.Services.AddApiTelemetry(builder.Configuration, builder.Environment.ApplicationName);

var app = builder.Build();
app.UseRestorationApi();
app.Run();

public partial class Program;
