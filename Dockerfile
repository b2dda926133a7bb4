# syntax=docker/dockerfile:1
# The portal as one static binary on a distroless base, run as a non-root user.
# Build: docker build -t regionalcareers/portal .   Deploy: see docker-compose.yml.

# Keep this Go version's major.minor equal to go.mod's go directive (deploy_test.go checks it).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/portal ./cmd/portal

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/portal /usr/local/bin/portal
ENV PORTAL_ADDR=0.0.0.0:8080 \
    PORTAL_ENV=production
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["portal"]
CMD ["serve"]
