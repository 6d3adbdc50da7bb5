package app_test

import (
	"context"
	"testing"

	"fenghuo/internal/apptest"
)

func BenchmarkSeedDemoIncidents(b *testing.B) {
	for i := 0; i < b.N; i++ {
		e := apptest.NewEmpty(b)
		ctx := context.Background()
		if _, err := e.App.SeedDemo(ctx); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		h, err := e.App.SeedDemoIncidents(ctx, 5000)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%+v", h)
	}
}
