# Build a static binary (the embedded database is pure Go, so CGO stays off).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/saq ./cmd/saq \
 && mkdir -p /out/data

# Run as a non-root user with the data on a volume.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/saq /saq
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV SAQ_ADDR=:8080 SAQ_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s CMD ["/saq", "healthcheck"]
ENTRYPOINT ["/saq"]
CMD ["serve"]
