// Command hello-api is a tiny HTTP service used to show what gantry finds in a
// Dockerfile written for a Go project.
package main

import (
	"encoding/json"
	"log"
	"net/http"
)

// version is meant to be set at build time with
// -ldflags "-X main.version=1.2.3"; the Dockerfile next to this project forgets to.
var version = "dev"

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "world"
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "hello, " + name})
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(version + "\n"))
	})

	log.Printf("hello-api %s listening on :8080", version)
	log.Fatal(http.ListenAndServe(":8080", mux))
}
